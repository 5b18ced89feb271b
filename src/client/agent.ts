import type { HttpVersion } from '../http/index.js';
import type { Endpoint, TlsOptions } from './connect.js';
import { protocolMode } from './protocols.js';
import { AgentClosedError } from './errors.js';
import type { Dispatcher, Route } from './dispatcher.js';
import { OriginPool, type PoolOptions } from './origin-pool.js';
import { sendRequest, type ClientResponse, type RequestOptions } from './send.js';
import { proxyAuthorization, proxyFor, proxyFromEnv, proxySettings, type ProxySettings } from './proxy.js';

/** AgentOptions configure every pool an agent opens, plus TLS, proxy and Unix socket settings. */
export interface AgentOptions extends PoolOptions, TlsOptions {
  /** proxy sends every request through this HTTP proxy (CONNECT tunnels for https). */
  proxy?: string | URL;
  /** proxyFromEnv reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY when true. Default false. */
  proxyFromEnv?: boolean;
  /** noProxy lists hosts that bypass `proxy`, in NO_PROXY syntax. */
  noProxy?: string;
  /** socketPath sends every request to this Unix socket; URLs then only name the Host. */
  socketPath?: string;
  /** family limits name resolution to IPv4 (4) or IPv6 (6), as curl's -4 and -6. */
  family?: 4 | 6;
  /**
   * resolve gives the address to connect to for a host and port instead of asking DNS, or
   * undefined to resolve as usual (curl's --resolve). Host header, SNI and certificate checks
   * keep the URL's host.
   */
  resolve?: (hostname: string, port: number) => string | undefined;
}

export type { Dispatcher, Route } from './dispatcher.js';

/** AgentRoute is a route with the agent's own pool, which it closes with the agent. */
interface AgentRoute extends Route {
  pool: OriginPool;
}

/**
 * Agent maps origins to pools. Requests to the same scheme, host and port share kept-alive
 * connections; each pool honours the agent's limits.
 */
export class Agent implements Dispatcher {
  readonly #options: AgentOptions;
  readonly #routes = new Map<string, AgentRoute>();
  readonly #proxy: ProxySettings | null;
  #isClosed = false;

  constructor(options: AgentOptions = {}) {
    this.#options = options;
    if (options.proxy !== undefined) this.#proxy = proxySettings(options.proxy, options.noProxy);
    else if (options.proxyFromEnv === true) this.#proxy = proxyFromEnv();
    else this.#proxy = null;
  }

  /** route returns the pool (created on first use) and target form for a URL. */
  route(url: URL, httpVersion?: HttpVersion): AgentRoute {
    const version = httpVersion ?? this.#options.httpVersion;
    const mode = protocolMode(version, url.protocol === 'https:');
    const origin = url.protocol === 'http:' || url.protocol === 'https:' ? `${url.protocol}//${url.host}` : url.href;
    const key = `${origin} ${mode}`;
    let route = this.#routes.get(key);
    if (route === undefined) {
      if (this.#isClosed) throw new AgentClosedError('Agent closed: no new requests');
      route = this.#newRoute(url, version);
      this.#routes.set(key, route);
    }
    return route;
  }

  #newRoute(url: URL, httpVersion: HttpVersion | undefined): AgentRoute {
    const options: AgentOptions = { ...this.#options };
    if (httpVersion === undefined) delete options.httpVersion;
    else options.httpVersion = httpVersion;
    const isTls = url.protocol === 'https:';
    const tls: TlsOptions = {};
    if (this.#options.ca !== undefined) tls.ca = this.#options.ca;
    if (this.#options.rejectUnauthorized !== undefined) tls.rejectUnauthorized = this.#options.rejectUnauthorized;
    if (this.#options.servername !== undefined) tls.servername = this.#options.servername;
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port === '' ? (isTls ? 443 : 80) : Number(url.port);
    const target: Endpoint = {
      isTls,
      hostname,
      port,
      socketPath: this.#options.socketPath,
      tls,
      family: this.#options.family,
      connectTo: this.#options.resolve?.(hostname, port),
    };
    const proxy = this.#proxy === null || target.socketPath !== undefined ? null : proxyFor(url, this.#proxy);
    if (proxy === null) return { pool: new OriginPool(target, options), proxyAuthorization: undefined };
    const proxyIsTls = proxy.protocol === 'https:';
    const proxyEndpoint: Endpoint = {
      isTls: proxyIsTls,
      hostname: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port === '' ? (proxyIsTls ? 443 : 80) : Number(proxy.port),
      tls,
      family: this.#options.family,
    };
    const authorization = proxyAuthorization(proxy);
    if (!isTls) {
      // RFC 9112 §3.2.2: a request to a proxy uses absolute-form.
      return { pool: new OriginPool(proxyEndpoint, options, true), proxyAuthorization: authorization };
    }
    const tunnelled: Endpoint = { ...target, tunnel: { proxy: proxyEndpoint, authorization } };
    return { pool: new OriginPool(tunnelled, options), proxyAuthorization: undefined };
  }

  /** request sends a request through this agent, like request() with `agent: this`. */
  request(url: string | URL, options: RequestOptions = {}): Promise<ClientResponse> {
    return sendRequest(this, url, { ...options, agent: this });
  }

  /** close refuses new requests, lets those already made finish (queued ones too), then closes every connection. */
  async close(): Promise<void> {
    this.#isClosed = true;
    const pools = [...this.#routes.values()].map((r) => r.pool.close());
    this.#routes.clear();
    await Promise.all(pools);
  }

  /** destroy closes every connection now, failing in-flight requests. */
  destroy(error?: Error): void {
    this.#isClosed = true;
    for (const route of this.#routes.values()) route.pool.destroy(error);
    this.#routes.clear();
  }
}
