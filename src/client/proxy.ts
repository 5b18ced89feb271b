import { Buffer } from 'node:buffer';
import { ProxyError } from './errors.js';

/** ProxySettings say which proxy carries http and https requests, and which hosts go direct. */
export interface ProxySettings {
  http: URL | null;
  https: URL | null;
  /** noProxy is a NO_PROXY-style list: `*`, host names (suffix match), `.domain`, IPs, `host:port`. */
  noProxy: string;
}

function parseProxy(value: string | undefined, name: string): URL | null {
  if (value === undefined || value.trim() === '') return null;
  const text = value.includes('://') ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new ProxyError(`Invalid proxy URL in ${name} "${value}"`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyError(`Unsupported proxy protocol in ${name} "${url.protocol}": use http: or https:`);
  }
  return url;
}

/**
 * proxyFromEnv reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY (lowercase names win, as curl does).
 * Only the client's explicit opt-in calls it: the environment never applies silently.
 */
export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const pick = (name: string): [string | undefined, string] => {
    const lower = env[name.toLowerCase()];
    return lower !== undefined ? [lower, name.toLowerCase()] : [env[name], name];
  };
  const [http, httpName] = pick('HTTP_PROXY');
  const [https, httpsName] = pick('HTTPS_PROXY');
  return {
    http: parseProxy(http, httpName),
    https: parseProxy(https, httpsName),
    noProxy: pick('NO_PROXY')[0] ?? '',
  };
}

/** proxySettings builds settings from one explicit proxy URL used for both schemes. */
export function proxySettings(proxy: string | URL, noProxy = ''): ProxySettings {
  const url = parseProxy(String(proxy), 'proxy option');
  return { http: url, https: url, noProxy };
}

/** isProxyBypassed tells whether NO_PROXY says to reach hostname:port directly. */
export function isProxyBypassed(hostname: string, port: number, noProxy: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let entryPort = 0;
    const portMatch = /^(.*[^:]):(\d+)$/.exec(entry);
    if (portMatch !== null && !(entry.split(':').length > 2 && !entry.startsWith('['))) {
      entry = portMatch[1] as string;
      entryPort = Number(portMatch[2]);
    }
    entry = entry.replace(/^\[|\]$/g, '');
    if (entryPort !== 0 && entryPort !== port) continue;
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (host.endsWith(entry) || host === entry.slice(1)) return true;
    } else if (host === entry || host.endsWith(`.${entry}`)) {
      return true;
    }
  }
  return false;
}

/** proxyFor picks the proxy for a URL, or null to go direct. */
export function proxyFor(url: URL, settings: ProxySettings): URL | null {
  const proxy = url.protocol === 'https:' ? settings.https : settings.http;
  if (proxy === null) return null;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return isProxyBypassed(url.hostname, port, settings.noProxy) ? null : proxy;
}

/** proxyAuthorization turns a proxy URL's user:password into a Basic Proxy-Authorization value. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}
