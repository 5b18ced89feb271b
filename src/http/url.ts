/** hostForUrl writes a host for a URL or an address: an IPv6 literal goes in brackets (RFC 3986 §3.2.2). */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** baseUrl returns `scheme://host:port` for a listening address, like `http://[::1]:8000`. */
export function baseUrl(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${hostForUrl(host)}:${port}`;
}
