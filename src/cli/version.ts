import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** version returns courier's version from the package.json next to the build output, or "0". */
export function version(): string {
  if (cached === null) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cached = String(pkg.version);
    } catch {
      cached = '0';
    }
  }
  return cached;
}
