import type { Endpoint, TlsOptions } from './connect.js';
import { ClientError } from './errors.js';
import { Pool, type PoolOptions } from './pool.js';
import { request, type ClientResponse, type RequestOptions } from './request.js';
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

/** Dispatcher is anything request() can send through: an Agent, or a Pool for one origin. */
export interface Dispatcher {
  route(url: URL): Route;
}

/** Route is where an agent sends requests for one origin. */
export interface Route {
  pool: Pool;
  /** isAbsoluteForm tells the request to use the full URL as target (plain http via a proxy). */
  isAbsoluteForm: boolean;
  /** proxyAuthorization is the header value for a proxy that sees the request itself. */
  proxyAuthorization: string | undefined;
}

/**
 * Agent maps origins to pools. Requests to the same scheme, host and port share kept-alive
 * connections; each pool honours the agent's limits.
 */
export class Agent {
  readonly #options: AgentOptions;
  readonly #routes = new Map<string, Route>();
  readonly #proxy: ProxySettings | null;
  #isClosed = false;

  constructor(options: AgentOptions = {}) {
    this.#options = options;
    if (options.proxy !== undefined) this.#proxy = proxySettings(options.proxy, options.noProxy);
    else if (options.proxyFromEnv === true) this.#proxy = proxyFromEnv();
    else this.#proxy = null;
  }

  /** route returns the pool (created on first use) and target form for a URL. */
  route(url: URL): Route {
    const key = url.protocol === 'http:' || url.protocol === 'https:' ? `${url.protocol}//${url.host}` : url.href;
    let route = this.#routes.get(key);
    if (route === undefined) {
      if (this.#isClosed) throw new ClientError('CLIENT_AGENT_CLOSED', 'Agent closed: no new requests');
      route = this.#newRoute(url);
      this.#routes.set(key, route);
    }
    return route;
  }

  #newRoute(url: URL): Route {
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
    if (proxy === null) return { pool: new Pool(target, this.#options), isAbsoluteForm: false, proxyAuthorization: undefined };
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
      return { pool: new Pool(proxyEndpoint, this.#options), isAbsoluteForm: true, proxyAuthorization: authorization };
    }
    const tunnelled: Endpoint = { ...target, tunnel: { proxy: proxyEndpoint, authorization } };
    return { pool: new Pool(tunnelled, this.#options), isAbsoluteForm: false, proxyAuthorization: undefined };
  }

  /** request sends a request through this agent, like request() with `agent: this`. */
  request(url: string | URL, options: RequestOptions = {}): Promise<ClientResponse> {
    return request(url, { ...options, agent: this });
  }

  /** close lets in-flight requests finish, then closes every connection. */
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

let globalAgent: Agent | null = null;

/** getGlobalAgent returns the agent request() and fetch() use when none is given. */
export function getGlobalAgent(): Agent {
  globalAgent ??= new Agent();
  return globalAgent;
}

/** setGlobalAgent replaces the default agent (the old one is left open). */
export function setGlobalAgent(agent: Agent): void {
  globalAgent = agent;
}
