// `courier serve` arguments: parsing and validation only, no I/O, so every rule is testable.
import type { NetworkInterfaceInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { baseUrl } from '../http/index.js';
import type { DotfilePolicy } from '../static/path.js';
import type { LogFormat } from '../server/access-log.js';
import { UsageError } from './usage.js';

export { UsageError };

/** ServeConfig is everything `courier serve` was asked to do. */
export interface ServeConfig {
  readonly dir: string;
  readonly port: number;
  /** isPortExplicit: with --port a busy port is an error; without, the next free one is used. */
  readonly isPortExplicit: boolean;
  /** portFromFolderName: `courier serve 8000` named no folder, so 8000 is the port (see portShorthand). */
  readonly portFromFolderName: boolean;
  readonly host: string;
  readonly cors: boolean;
  readonly spa: boolean;
  readonly cacheControl: string;
  readonly dotfiles: DotfilePolicy;
  readonly listing: boolean;
  readonly compress: boolean;
  readonly followSymlinks: boolean;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly log: LogFormat;
  readonly workers: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly open: boolean;
  readonly help: boolean;
}

/** SERVE_HELP is the text of `courier serve --help`. */
export const SERVE_HELP = `Usage: courier serve [dir] [options]
       courier serve PORT           (no folder named PORT: the current folder on that port)

Serve a folder over HTTP (default: the current folder on http://127.0.0.1:8000/).

Options:
  -p, --port <n>           port (default $PORT or 8000; if busy and not given, the next free one)
      --host <addr>        address to bind (default 127.0.0.1; 0.0.0.0 shares on your network)
      --cors               add Access-Control-Allow-Origin: * and answer preflights
      --spa                serve /index.html for missing extensionless paths
      --cache <seconds>    Cache-Control: public, max-age=<seconds> (default: no-cache)
      --no-cache           Cache-Control: no-store
      --dotfiles <policy>  allow | deny (403) | ignore (404, default); /.well-known/ is served
      --no-listing         404 for folders without index.html instead of a listing
      --no-compress        no brotli/gzip, not even precompressed .br/.gz files
      --follow-symlinks    serve symlinks that lead outside the folder
      --tls-cert <file>    serve HTTPS with this PEM certificate (needs --tls-key)
      --tls-key <file>     PEM private key for --tls-cert
      --log <format>       combined (default) | json | off
      --workers <n>        processes sharing the port (default 1; 0 = one per CPU)
      --header <"N: v">    add a response header (repeatable)
      --open               open the URL in a browser
  -h, --help               print this help
`;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field value: visible ASCII, SP, HTAB and obs-text, not starting or ending with whitespace.
const FIELD_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;

/** parseHeaderOption reads one --header "Name: value" into a name and value, or throws UsageError. */
export function parseHeaderOption(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`Invalid --header "${text}": expected "Name: value"`);
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!TOKEN.test(name)) throw new UsageError(`Invalid --header "${text}": the name is not a token`);
  if (!FIELD_VALUE.test(value)) throw new UsageError(`Invalid --header "${text}": the value holds a control character`);
  return [name, value];
}

function integer(text: string, flag: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`Invalid ${flag} "${text}": expected an integer from ${min} to ${max}`);
  }
  return Number(text);
}

/**
 * parseServeArgs turns the arguments after `serve` into a ServeConfig, or throws UsageError. The
 * PORT environment variable, when set, replaces the default port (still not an explicit one).
 */
export function parseServeArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ServeConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        cors: { type: 'boolean' },
        spa: { type: 'boolean' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean' },
        dotfiles: { type: 'string' },
        'no-listing': { type: 'boolean' },
        'no-compress': { type: 'boolean' },
        'follow-symlinks': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        log: { type: 'string' },
        workers: { type: 'string' },
        header: { type: 'string', multiple: true },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`Too many folders: "${positionals.join('", "')}" (serve one)`);
  if (values.cache !== undefined && values['no-cache'] === true) throw new UsageError('Invalid options: --cache and --no-cache together');
  const dotfiles = values.dotfiles ?? 'ignore';
  if (dotfiles !== 'allow' && dotfiles !== 'deny' && dotfiles !== 'ignore') {
    throw new UsageError(`Invalid --dotfiles "${dotfiles}": expected allow, deny or ignore`);
  }
  const log = values.log ?? 'combined';
  if (log !== 'combined' && log !== 'json' && log !== 'off') throw new UsageError(`Invalid --log "${log}": expected combined, json or off`);
  if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
    throw new UsageError('Invalid options: --tls-cert and --tls-key go together');
  }
  const headers: Record<string, string> = {};
  for (const text of values.header ?? []) {
    const [name, value] = parseHeaderOption(text);
    headers[name] = value;
  }
  let cacheControl = 'no-cache';
  if (values.cache !== undefined) cacheControl = `public, max-age=${integer(values.cache, '--cache', 0, 31_536_000)}`;
  if (values['no-cache'] === true) cacheControl = 'no-store';
  const host = values.host ?? '127.0.0.1';
  if (host.length === 0 || /[\s/]/.test(host)) throw new UsageError(`Invalid --host "${host}"`);
  return {
    dir: positionals[0] ?? '.',
    port: values.port !== undefined ? integer(values.port, '--port', 0, 65535) : env.PORT !== undefined && env.PORT !== '' ? integer(env.PORT, 'PORT', 0, 65535) : 8000,
    isPortExplicit: values.port !== undefined,
    portFromFolderName: false,
    host,
    cors: values.cors === true,
    spa: values.spa === true,
    cacheControl,
    dotfiles,
    listing: values['no-listing'] !== true,
    compress: values['no-compress'] !== true,
    followSymlinks: values['follow-symlinks'] === true,
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    log,
    workers: values.workers === undefined ? 1 : integer(values.workers, '--workers', 0, 256),
    headers,
    open: values.open === true,
    help: values.help === true,
  };
}

/**
 * portShorthand applies the `python -m http.server 8000` habit: when the only folder given is a
 * port number (1 to 65535), no such folder exists (`isFolder` false) and no --port was given,
 * the current folder is served on that port, as an explicit port.
 */
export function portShorthand(config: ServeConfig, isFolder: boolean): ServeConfig {
  if (isFolder || config.isPortExplicit || !/^[1-9]\d{0,4}$/.test(config.dir) || Number(config.dir) > 65535) return config;
  return { ...config, dir: '.', port: Number(config.dir), isPortExplicit: true, portFromFolderName: true };
}

function urlFor(isTls: boolean, address: string, port: number): string {
  return `${baseUrl(isTls ? 'https' : 'http', address, port)}/`;
}

/**
 * listenUrls lists the URLs people can open for a bound address: the address itself, or for a
 * wildcard (0.0.0.0, ::) localhost and every non-internal address of the machine's interfaces.
 */
export function listenUrls(
  host: string,
  port: number,
  isTls: boolean,
  interfaces: Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>,
): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [urlFor(isTls, host, port)];
  const out = [urlFor(isTls, 'localhost', port)];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal) continue;
      if (host === '0.0.0.0' && info.family !== 'IPv4') continue;
      // Link-local IPv6 needs a zone to be usable in a URL; leave it out.
      if (info.family === 'IPv6' && info.address.startsWith('fe80:')) continue;
      out.push(urlFor(isTls, info.address, port));
    }
  }
  return out;
}

/** isLoopback tells whether a bind address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
