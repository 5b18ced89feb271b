// Plain-words hints for `courier get` failures, and the connection facts `-v` prints.
import type { Socket } from 'node:net';
import { TLSSocket, type PeerCertificate } from 'node:tls';
import { ClientError } from '../client/index.js';

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

function causeCode(error: ClientError): string {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

/** HintContext is what the CLI knows beyond the error: the URL and the first byte received. */
export interface HintContext {
  url: URL;
  /** firstByte is the first byte the server sent, or -1 when it sent nothing. */
  firstByte: number;
}

/** hintFor returns a hint for an error, in plain words, or undefined when there is none. */
export function hintFor(error: unknown, context: HintContext): string | undefined {
  if (!ClientError.is(error)) return undefined;
  const code = causeCode(error);
  const https = new URL(context.url);
  https.protocol = 'https:';
  const http = new URL(context.url);
  http.protocol = 'http:';
  if (error.code === 'CLIENT_TLS') {
    if (UNTRUSTED.has(code)) return 'the certificate is not trusted: give its CA with --cacert FILE, or skip the check with -k';
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return 'the certificate is outside its validity dates: check the clock, or skip the check with -k';
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the certificate does not name "${context.url.hostname}": use the name it was issued for, or skip the check with -k`;
    const message = (error.cause as Error | undefined)?.message ?? '';
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long|http request/i.test(message)) {
      return `the server answered in plain HTTP, not TLS: try ${http.href}`;
    }
  }
  // TLS record types 0x15 (alert) and 0x16 (handshake) open a TLS server's answer to plain text.
  if (context.url.protocol === 'http:' && (context.firstByte === 0x15 || context.firstByte === 0x16)) {
    return `the server speaks TLS on this port: try ${https.href}`;
  }
  // Node's TLS servers (courier serve --tls among them) close on plain text without a byte.
  if (error.code === 'CLIENT_SOCKET_CLOSED' && context.url.protocol === 'http:' && context.firstByte === -1) {
    return `the server closed the connection without a byte: if the port expects TLS, try ${https.href}`;
  }
  if (error.code === 'CLIENT_PROTOCOL' && (error.cause as { reason?: unknown } | undefined)?.reason === 'WIRE_INVALID_LINE_ENDING') {
    return 'the server ends lines with a bare LF instead of CRLF: --lenient accepts it';
  }
  return undefined;
}

function distinguished(name: PeerCertificate['subject'] | undefined): string {
  if (name === undefined || name === null) return '-';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/** describeConnection lists what -v shows about a new connection: address, then TLS details. */
export function describeConnection(socket: Socket): string[] {
  const lines = [`Connected to ${socket.remoteAddress ?? '?'} port ${socket.remotePort ?? '?'}`];
  if (!(socket instanceof TLSSocket)) return lines;
  const cipher = socket.getCipher();
  const alpn = socket.alpnProtocol === false || socket.alpnProtocol === null ? 'none' : socket.alpnProtocol;
  lines.push(`TLS ${socket.getProtocol() ?? '?'}, cipher ${cipher.name}, ALPN ${alpn}`);
  const cert = socket.getPeerCertificate();
  if (cert !== null && Object.keys(cert).length > 0) {
    lines.push(`Server certificate subject: ${distinguished(cert.subject)}`);
    lines.push(`Server certificate issuer: ${distinguished(cert.issuer)}`);
    lines.push(`Server certificate valid: ${cert.valid_from} to ${cert.valid_to}`);
    if (cert.subjectaltname !== undefined) lines.push(`Server certificate names: ${cert.subjectaltname}`);
  }
  lines.push(socket.authorized ? 'Certificate verified' : `Certificate not verified (${String(socket.authorizationError ?? 'not checked')})`);
  return lines;
}
