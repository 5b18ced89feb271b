import { RedirectRefusedError } from './errors.js';

/** DEFAULT_MAX_REDIRECTS is how many redirects a request follows before failing (as fetch does). */
export const DEFAULT_MAX_REDIRECTS = 20;

/** isRedirect tells whether a status asks the client to go elsewhere with Location (RFC 9110 §15.4). */
export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** RedirectStep says how to send the next request of a redirect chain. */
export interface RedirectStep {
  url: URL;
  method: string;
  /** keepsBody tells whether the request body goes along (the method did not change). */
  keepsBody: boolean;
  /** isCrossOrigin tells whether credentials must be dropped. */
  isCrossOrigin: boolean;
}

/**
 * nextRedirect applies RFC 9110 §15.4 as browsers do: 303 turns any method but HEAD into GET,
 * 301/302 turn POST into GET, others (and 307/308 always) keep method and body. It refuses schemes other than http(s)
 * and https→http unless allowDowngrade.
 */
export function nextRedirect(status: number, location: string, current: URL, method: string, allowDowngrade: boolean): RedirectStep {
  let url: URL;
  try {
    url = new URL(location, current);
  } catch (error) {
    throw new RedirectRefusedError(`Invalid redirect Location "${location}"`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RedirectRefusedError(`Refused redirect to "${url.href}": only http and https are followed`);
  }
  if (current.protocol === 'https:' && url.protocol === 'http:' && !allowDowngrade) {
    throw new RedirectRefusedError(`Refused redirect from https to "${url.href}": downgrade not allowed`);
  }
  // A fragment on the old URL carries over when Location has none (RFC 9110 §10.2.2).
  if (url.hash === '' && current.hash !== '') url.hash = current.hash;
  let next = method;
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) next = 'GET';
  return {
    url,
    method: next,
    keepsBody: next === method,
    isCrossOrigin: url.origin !== current.origin,
  };
}

/** CREDENTIAL_HEADERS are dropped when a redirect leaves the origin. */
export const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** BODY_HEADERS describe the request content and are dropped when a redirect drops the body. */
export const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding']);
