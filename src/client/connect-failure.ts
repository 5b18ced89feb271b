// How a failed connect attempt is reported: the system or TLS error turned into the client's class
// for it, with a message that names the operation, the errno and the address.
import { hostForUrl } from '../http/index.js';
import { ConnectFailedError, ConnectRefusedError, DnsError, TlsError, type ClientError } from './errors.js';

/** where renders a socket address for messages: `127.0.0.1:8000`, `[::1]:8000` or a socket path. */
export function where(host: string, port: number | string, socketPath?: string): string {
  if (socketPath !== undefined) return socketPath;
  return `${hostForUrl(host)}:${port}`;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/**
 * connectFailure turns a system or TLS error raised while connecting into a typed error whose
 * message names the operation, the errno and the address, like `connect ECONNREFUSED 127.0.0.1:8000`.
 */
export function connectFailure(error: unknown, address: string): ClientError {
  const err = error as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : 'UNKNOWN';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA') {
    return new DnsError(`getaddrinfo ${code} ${address}`, { cause: error });
  }
  if (code === 'ECONNREFUSED') return new ConnectRefusedError(`connect ECONNREFUSED ${address}`, { cause: error });
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : code;
    return new TlsError(`tls ${code} ${address}: ${detail}`, { cause: error });
  }
  return new ConnectFailedError(`connect ${code} ${address}`, { cause: error });
}
