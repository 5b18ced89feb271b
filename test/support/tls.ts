// selfSigned: one self-signed certificate for 127.0.0.1 (and localhost), made with openssl, for
// tests that need TLS on loopback.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** SelfSigned is a PEM certificate and its key. */
export interface SelfSigned {
  cert: string;
  key: string;
}

/** selfSigned makes a fresh RSA certificate for CN=127.0.0.1, valid one day, with IP and DNS SANs. */
export function selfSigned(): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'courier-tls-'));
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}
