// Cookies for `courier get -b/-c`: RFC 6265 storage and matching, and the Netscape cookie-jar
// file format that curl reads and writes (one cookie per line, seven tab-separated fields).
import { isIP } from 'node:net';

/** Cookie is one stored cookie (RFC 6265 §5.3). `expires` is in Unix seconds, 0 for a session cookie. */
export interface Cookie {
  name: string;
  value: string;
  /** domain is lowercase, without a leading dot. */
  domain: string;
  /** isHostOnly: sent to exactly `domain`, not its subdomains (no Domain attribute was given). */
  isHostOnly: boolean;
  path: string;
  isSecure: boolean;
  isHttpOnly: boolean;
  expires: number;
  /** created orders cookies of equal path length (RFC 6265 §5.4 step 2). */
  created: number;
}

/** NETSCAPE_HEADER is the first line curl and browsers expect in a cookie-jar file. */
const NETSCAPE_HEADER = '# Netscape HTTP Cookie File\n# Written by courier get: domain, subdomains, path, secure, expires, name, value.\n\n';

/** defaultPath is the cookie path a response sets when Path is missing (RFC 6265 §5.1.4). */
export function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/** domainMatches tells whether host is the domain or a subdomain of it (RFC 6265 §5.1.3). */
export function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(`.${domain}`) && isIP(host) === 0;
}

/** pathMatches tells whether a request path is within a cookie path (RFC 6265 §5.1.4). */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** CookieJar stores cookies from Set-Cookie and cookie files, and picks those a request carries. */
export class CookieJar {
  #cookies: Cookie[] = [];
  #counter = 0;

  /** cookies lists the stored cookies, expired ones included until the next write. */
  get cookies(): readonly Cookie[] {
    return this.#cookies;
  }

  #store(cookie: Cookie, nowSeconds: number): void {
    const i = this.#cookies.findIndex((c) => c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path);
    if (i !== -1) {
      cookie.created = (this.#cookies[i] as Cookie).created;
      this.#cookies.splice(i, 1);
    }
    if (cookie.expires !== 0 && cookie.expires <= nowSeconds) return; // an expiry in the past deletes
    this.#cookies.push(cookie);
  }

  /** loadNetscape reads a cookie-jar file's text (curl's format; #HttpOnly_ lines included). */
  loadNetscape(text: string, now = Date.now()): void {
    for (const raw of text.split(/\r?\n/)) {
      let line = raw;
      let isHttpOnly = false;
      if (line.startsWith('#HttpOnly_')) {
        isHttpOnly = true;
        line = line.slice('#HttpOnly_'.length);
      } else if (line.startsWith('#') || line.trim() === '') continue;
      const fields = line.split('\t');
      if (fields.length < 7) continue;
      const [domainField, subdomains, path, secure, expires, name] = fields as [string, string, string, string, string, string];
      const value = fields.slice(6).join('\t');
      const domain = domainField.toLowerCase().replace(/^\./, '');
      if (domain === '' || name === '') continue;
      this.#store(
        {
          name,
          value,
          domain,
          isHostOnly: subdomains.toUpperCase() !== 'TRUE',
          path: path === '' ? '/' : path,
          isSecure: secure.toUpperCase() === 'TRUE',
          isHttpOnly,
          expires: Number(expires) > 0 ? Math.floor(Number(expires)) : 0,
          created: this.#counter++,
        },
        Math.floor(now / 1000),
      );
    }
  }

  /** setCookie stores one Set-Cookie field value received for url (RFC 6265 §5.2 and §5.3). */
  setCookie(header: string, url: URL, now = Date.now()): void {
    const [pair = '', ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq === -1) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === '') return;
    const host = hostOf(url);
    let domain = '';
    let path = '';
    let isSecure = false;
    let isHttpOnly = false;
    let expires = 0;
    let maxAge: number | undefined;
    for (const attribute of attributes) {
      const at = attribute.indexOf('=');
      const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
      const arg = at === -1 ? '' : attribute.slice(at + 1).trim();
      if (key === 'expires') {
        const ms = Date.parse(arg);
        if (!Number.isNaN(ms)) expires = Math.max(1, Math.floor(ms / 1000));
      } else if (key === 'max-age' && /^-?\d+$/.test(arg)) {
        maxAge = Number(arg);
      } else if (key === 'domain' && arg !== '') {
        domain = arg.replace(/^\./, '').toLowerCase();
      } else if (key === 'path') {
        path = arg.startsWith('/') ? arg : '';
      } else if (key === 'secure') {
        isSecure = true;
      } else if (key === 'httponly') {
        isHttpOnly = true;
      }
    }
    const nowSeconds = Math.floor(now / 1000);
    // RFC 6265 §5.2.2: Max-Age wins over Expires; zero or less means expire now.
    if (maxAge !== undefined) expires = maxAge <= 0 ? 1 : nowSeconds + maxAge;
    let isHostOnly = true;
    if (domain !== '' && domain !== host) {
      // A Domain must cover the request host, and a bare top-level name is refused (a crude
      // public-suffix guard: no "Domain=com").
      if (!domainMatches(host, domain) || !domain.includes('.')) return;
      isHostOnly = false;
    } else if (domain === host) {
      isHostOnly = false;
    }
    // RFC 6265bis §5.6: a Secure cookie is only accepted from a secure origin.
    if (isSecure && url.protocol !== 'https:') return;
    this.#store(
      { name, value, domain: isHostOnly ? host : domain, isHostOnly, path: path === '' ? defaultPath(url) : path, isSecure, isHttpOnly, expires, created: this.#counter++ },
      nowSeconds,
    );
  }

  /** cookieHeader is the Cookie field value for a request to url, or undefined (RFC 6265 §5.4). */
  cookieHeader(url: URL, now = Date.now()): string | undefined {
    const host = hostOf(url);
    const nowSeconds = Math.floor(now / 1000);
    const matching = this.#cookies.filter(
      (c) =>
        (c.isHostOnly ? host === c.domain : domainMatches(host, c.domain)) &&
        pathMatches(url.pathname === '' ? '/' : url.pathname, c.path) &&
        (!c.isSecure || url.protocol === 'https:') &&
        (c.expires === 0 || c.expires > nowSeconds),
    );
    if (matching.length === 0) return undefined;
    matching.sort((a, b) => b.path.length - a.path.length || a.created - b.created);
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** toNetscape renders the unexpired cookies as a cookie-jar file curl can read with -b. */
  toNetscape(now = Date.now()): string {
    const nowSeconds = Math.floor(now / 1000);
    const lines = this.#cookies
      .filter((c) => c.expires === 0 || c.expires > nowSeconds)
      .map((c) =>
        [
          `${c.isHttpOnly ? '#HttpOnly_' : ''}${c.isHostOnly ? c.domain : `.${c.domain}`}`,
          c.isHostOnly ? 'FALSE' : 'TRUE',
          c.path,
          c.isSecure ? 'TRUE' : 'FALSE',
          String(c.expires),
          c.name,
          c.value,
        ].join('\t'),
      );
    return `${NETSCAPE_HEADER}${lines.map((l) => `${l}\n`).join('')}`;
  }
}
