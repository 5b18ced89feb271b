// selfSigned: one self-signed certificate for 127.0.0.1 (and localhost), made with openssl, for
// tests that need TLS on loopback; selfSignedFiles also leaves it on disk for --cacert and the like.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** SelfSigned is a PEM certificate and its key. */
export interface SelfSigned {
  cert: string;
  key: string;
}

/** SelfSignedFiles is a SelfSigned also written as `cert.pem` and `key.pem` in `dir`, which the caller removes. */
export interface SelfSignedFiles extends SelfSigned {
  dir: string;
  certFile: string;
  keyFile: string;
}

/**
 * selfSignedFiles makes a fresh RSA certificate for CN=127.0.0.1, valid one day, with IP and DNS
 * SANs (127.0.0.1, localhost), in a new temporary folder.
 */
export function selfSignedFiles(): SelfSignedFiles {
  const dir = mkdtempSync(join(tmpdir(), 'courier-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', keyFile, '-out', certFile,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), dir, certFile, keyFile };
}

/** selfSigned makes a certificate as selfSignedFiles does and keeps it in memory only. */
export function selfSigned(): SelfSigned {
  const { cert, key, dir } = selfSignedFiles();
  rmSync(dir, { recursive: true, force: true });
  return { cert, key };
}
