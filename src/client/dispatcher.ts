import type { HttpVersion } from '../http/index.js';
import type { Dispatch } from './types.js';

/** DispatchTarget takes requests for one origin: a pool. */
export interface DispatchTarget {
  dispatch(d: Dispatch): void;
}

/** Route is where a dispatcher sends requests for one origin. */
export interface Route {
  pool: DispatchTarget;
  /** proxyAuthorization is the header value for a proxy that sees the request itself. */
  proxyAuthorization: string | undefined;
}

/** Dispatcher is anything request() can send through: an Agent, or a Pool for one origin. */
export interface Dispatcher {
  /** route picks the pool for a URL; `httpVersion` is the request's, when it asked for one. */
  route(url: URL, httpVersion?: HttpVersion): Route;
}
