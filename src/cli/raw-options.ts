// `courier raw` arguments: parsing, the address and the request text's escapes. No I/O here.
import { Buffer } from 'node:buffer';
import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';

export { UsageError };

/** RAW_HELP is the text of `courier raw --help`. */
export const RAW_HELP = `courier raw: send request bytes over a socket and show every byte that comes back

Usage: courier raw HOST[:PORT] ['REQUEST']
       courier raw HOST[:PORT] -f FILE
       printf 'GET / HTTP/1.0\\r\\n\\r\\n' | courier raw HOST[:PORT]

The request is sent exactly as given (nothing is added, not even a Host header). In the
REQUEST argument, \\r \\n \\t \\\\ and \\xHH are escapes, as in printf. Each LF not preceded by CR
becomes CR LF (what HTTP wants) unless --binary. Then everything the server sends is printed
until it closes the connection: CR and LF shown as \\r and \\n, the end of the head marked,
and each read counted on stderr.

Options:
  -f, --file FILE          read the request from FILE ("-" for stdin)
      --binary             send the bytes exactly: no LF -> CR LF
      --body-out FILE      save the bytes after the first CR LF CR LF (the body) to FILE
      --tls                connect with TLS (the default port becomes 443)
  -k, --insecure           with --tls, do not verify the certificate
      --cacert FILE        with --tls, trust the CA certificates in FILE (PEM)
      --timeout SECONDS    give up after SECONDS without the server closing (default 30)
  -h, --help               print this help

Exit codes: 0 the server closed, 2 usage, 6 DNS, 7 connect, 23 write error, 26 read error,
28 timeout, 35 TLS, 56 connection lost.
`;

/** RawConfig is a parsed `courier raw` command line. */
export interface RawConfig {
  readonly host: string;
  readonly port: number;
  /** request is the argument after the address with escapes decoded, or undefined (file or stdin). */
  readonly request: Buffer | undefined;
  readonly file: string | undefined;
  readonly isBinary: boolean;
  readonly bodyOut: string | undefined;
  readonly isTls: boolean;
  readonly isInsecure: boolean;
  readonly cacert: string | undefined;
  readonly timeoutMs: number;
  readonly help: boolean;
}

/**
 * parseAddress reads HOST, HOST:PORT, [IPv6]:PORT, or a URL's origin (http:// or https://, which
 * implies TLS) into a host and port.
 */
export function parseAddress(text: string, isTls: boolean): { host: string; port: number; isTls: boolean } {
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new UsageError(`Invalid address "${text}": expected HOST:PORT`);
    }
    const tls = isTls || url.protocol === 'https:';
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? (tls ? 443 : 80) : Number(url.port), isTls: tls };
  }
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:/[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (match === null) throw new UsageError(`Invalid address "${text}": expected HOST:PORT, like example.com:80 or [::1]:8000`);
  const port = match[3] === undefined ? (isTls ? 443 : 80) : Number(match[3]);
  if (port < 1 || port > 65535) throw new UsageError(`Invalid port "${match[3]}": expected 1 to 65535`);
  return { host: (match[1] ?? match[2]) as string, port, isTls };
}

/**
 * decodeEscapes turns the printf escapes \r \n \t \\ \0 and \xHH of a command-line argument into
 * bytes; other characters are sent as UTF-8. An unknown escape is a UsageError, not a guess.
 */
export function decodeEscapes(text: string): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 0x5c) continue;
    parts.push(Buffer.from(text.slice(from, i), 'utf8'));
    const next = text[i + 1];
    if (next === 'r') parts.push(Buffer.from([0x0d]));
    else if (next === 'n') parts.push(Buffer.from([0x0a]));
    else if (next === 't') parts.push(Buffer.from([0x09]));
    else if (next === '\\') parts.push(Buffer.from([0x5c]));
    else if (next === '0') parts.push(Buffer.from([0x00]));
    else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      parts.push(Buffer.from([parseInt(text.slice(i + 2, i + 4), 16)]));
      i += 2;
    } else {
      throw new UsageError(`Invalid escape "\\${next ?? ''}" in the request: use \\r \\n \\t \\\\ \\0 or \\xHH`);
    }
    i++;
    from = i + 1;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** toCrlf turns every LF not preceded by CR into CR LF. */
export function toCrlf(bytes: Buffer): Buffer {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && (i === 0 || bytes[i - 1] !== 0x0d)) count++;
  if (count === 0) return bytes;
  const out = Buffer.alloc(bytes.length + count);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === 0x0a && (i === 0 || bytes[i - 1] !== 0x0d)) out[n++] = 0x0d;
    out[n++] = b;
  }
  return out;
}

/** parseRawArgs turns the arguments after `raw` into a RawConfig, or throws UsageError. */
export function parseRawArgs(argv: readonly string[]): RawConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        file: { type: 'string', short: 'f' },
        binary: { type: 'boolean' },
        'body-out': { type: 'string' },
        tls: { type: 'boolean' },
        insecure: { type: 'boolean', short: 'k' },
        cacert: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  if (help) {
    return { host: '', port: 0, request: undefined, file: undefined, isBinary: false, bodyOut: undefined, isTls: false, isInsecure: false, cacert: undefined, timeoutMs: 0, help };
  }
  const [address, requestText, ...extra] = positionals;
  if (address === undefined) throw new UsageError('Missing HOST:PORT');
  if (extra.length > 0) throw new UsageError(`Too many arguments: "${extra.join('", "')}" (quote the request as one argument)`);
  if (requestText !== undefined && values.file !== undefined) throw new UsageError('Invalid options: a REQUEST argument and --file together');
  let timeoutMs = 30_000;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!/^\d+(\.\d+)?$/.test(values.timeout) || seconds <= 0 || seconds > 86_400) {
      throw new UsageError(`Invalid --timeout "${values.timeout}": expected seconds, more than 0`);
    }
    timeoutMs = Math.round(seconds * 1000);
  }
  const target = parseAddress(address, values.tls === true);
  if (!target.isTls && (values.insecure === true || values.cacert !== undefined)) throw new UsageError('Invalid options: -k and --cacert need --tls');
  return {
    host: target.host,
    port: target.port,
    request: requestText === undefined ? undefined : decodeEscapes(requestText),
    file: values.file,
    isBinary: values.binary === true,
    bodyOut: values['body-out'],
    isTls: target.isTls,
    isInsecure: values.insecure === true,
    cacert: values.cacert,
    timeoutMs,
    help,
  };
}
