import { OriginPool } from './origin-pool.js';
import { sendRequest, type ClientResponse, type RequestOptions } from './send.js';

export type { PoolOptions } from './origin-pool.js';

/**
 * Pool holds the connections to one origin, like the pools an Agent keeps per origin, and
 * answers the same request() shape: `pool.request(url)` is `request(url, { agent: pool })`.
 */
export class Pool extends OriginPool {
  /** request sends a request on this pool, like request() with `agent: pool`. */
  request(url: string | URL, options: RequestOptions = {}): Promise<ClientResponse> {
    return sendRequest(this, url, { ...options, agent: this });
  }
}
