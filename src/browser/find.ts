// Where Chromium lives: an explicit path, COURIER_CHROMIUM, or the first known name on PATH.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BrowserNotFoundError } from './errors.js';

/** CHROMIUM_NAMES are the executable names looked up on PATH, in order. */
export const CHROMIUM_NAMES: readonly string[] = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** INSTALL_HINT tells how to get Chromium on Debian and Ubuntu. */
export const INSTALL_HINT = 'install it with "apt-get install chromium"';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** FindOptions says where to look for Chromium; both fields default to the process's own. */
export interface FindOptions {
  /** executablePath is used as given when set (`--browser PATH`). */
  executablePath?: string | undefined;
  /** env supplies COURIER_CHROMIUM and PATH (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * findChromium returns the Chromium executable to run: `executablePath` when given, else
 * `COURIER_CHROMIUM`, else the first of CHROMIUM_NAMES found on PATH. It throws a BrowserNotFoundError
 * (`BROWSER_NOT_FOUND`) whose message says how to install Chromium.
 */
export function findChromium(options: FindOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = options.executablePath ?? (env.COURIER_CHROMIUM === '' ? undefined : env.COURIER_CHROMIUM);
  if (explicit !== undefined) {
    if (isExecutable(explicit)) return explicit;
    const from = options.executablePath !== undefined ? '' : ' (from COURIER_CHROMIUM)';
    throw new BrowserNotFoundError(`Chromium not found at "${explicit}"${from}: ${INSTALL_HINT} or give the path of a Chromium executable`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of CHROMIUM_NAMES) {
      const path = join(dir, name);
      if (isExecutable(path)) return path;
    }
  }
  throw new BrowserNotFoundError(`Chromium not found on PATH (looked for ${CHROMIUM_NAMES.join(', ')}): ${INSTALL_HINT}, or set COURIER_CHROMIUM to its path`);
}
