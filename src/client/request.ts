import { getGlobalAgent } from './global-agent.js';
import { sendRequest, type ClientResponse, type RequestOptions } from './send.js';

export type { ClientResponse, InterimResponse, RequestHeaders, RequestOptions } from './send.js';

/**
 * request sends a request and resolves when the response head arrives, following redirects
 * unless `redirect` says otherwise (undici's request() does not follow them; fetch() does). The
 * body is an async iterable with text(), json(), bytes() and dump(); read or dump it to free the
 * connection. Without `agent`, the global agent carries it.
 */
export function request(input: string | URL, options: RequestOptions = {}): Promise<ClientResponse> {
  return sendRequest(options.agent ?? getGlobalAgent(), input, options);
}
