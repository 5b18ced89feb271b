// Installs the peers the benchmarks compare against (bench/package.json) when they are missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
if (!existsSync(new URL('./node_modules/.package-lock.json', import.meta.url))) {
  console.error('bench: installing peers (npm ci in bench/)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
