// Launching headless Chromium with a throwaway profile, and making sure it never outlives us: the
// browser runs in its own process group, which close() and the process 'exit' hook kill whole.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Connection } from './connection.js';
import { BrowserAbortedError, BrowserClosedError, BrowserLaunchError, BrowserTimeoutError } from './errors.js';
import { findChromium } from './find.js';
import { singletonSocketDir } from './socket-dir.js';

/**
 * CHROMIUM_FLAGS start Chromium headless and quiet. Without the background-networking flags it
 * dials out at start (updates, sync, field trials); as root, Debian's build needs --no-sandbox.
 * --no-startup-window skips the New Tab page and its omnibox UI, a third of a cold start here.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-startup-window',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--mute-audio',
  '--hide-scrollbars',
  // Services a headless renderer has no use for: each costs start-up work or a connection.
  '--disable-field-trial-config',
  '--disable-features=Translate,MediaRouter,OptimizationHints,OptimizationGuideModelDownloading,LensOverlay,DialMediaRouteProvider,GlobalMediaControls',
  '--disable-component-extensions-with-background-pages',
  '--disable-client-side-phishing-detection',
  '--disable-domain-reliability',
  '--disable-breakpad',
  '--disable-hang-monitor',
  '--metrics-recording-only',
  '--password-store=basic',
  '--remote-debugging-pipe',
];

/** LaunchOptions configures launchBrowser; every field is optional. */
export interface LaunchOptions {
  /** executablePath is the Chromium to run (default: findChromium(): COURIER_CHROMIUM, then PATH). */
  executablePath?: string | undefined;
  /** args are extra Chromium flags, after CHROMIUM_FLAGS. */
  args?: readonly string[];
  /** timeout bounds the start, in ms, until the browser answers (default 30 000). */
  timeout?: number;
  /** signal aborts the start (BROWSER_ABORTED); the browser is killed. */
  signal?: AbortSignal | undefined;
}

const live = new Set<Browser>();
let isExitHookInstalled = false;

/** killAll runs at process exit: synchronous, so it works from the 'exit' event. */
function killAll(): void {
  for (const browser of live) browser.kill();
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Browser is one running Chromium and its DevTools connection. Close it with close(). */
export class Browser {
  readonly #child: ChildProcess;
  readonly #profile: string;
  readonly #exited: Promise<void>;
  #stderrTail = '';
  #isClosing = false;
  #exitDescription = '';
  /** connection carries every DevTools command to this browser. */
  readonly connection: Connection;
  /** executablePath is the Chromium that runs. */
  readonly executablePath: string;
  /** version is Chromium's product string, like `Chrome/156.0.8078.114` (known once launched). */
  version = '';
  /** userAgent is the browser's default User-Agent. */
  userAgent = '';

  constructor(executablePath: string, args: readonly string[]) {
    this.executablePath = executablePath;
    this.#profile = mkdtempSync(join(tmpdir(), 'courier-chromium-'));
    // detached: a process group of its own, so that one kill reaches every Chromium process.
    this.#child = spawn(executablePath, [...CHROMIUM_FLAGS, ...args, `--user-data-dir=${this.#profile}`], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    live.add(this);
    if (!isExitHookInstalled) {
      isExitHookInstalled = true;
      process.on('exit', killAll);
    }
    const keepTail = (chunk: Buffer): void => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-4096);
    };
    this.#child.stdout?.on('data', keepTail);
    this.#child.stderr?.on('data', keepTail);
    const writer = this.#child.stdio[3] as Writable;
    const reader = this.#child.stdio[4] as Readable;
    this.connection = new Connection(writer, reader);
    this.#exited = new Promise((resolve) => {
      this.#child.once('error', (error: NodeJS.ErrnoException) => {
        this.connection.close(new BrowserLaunchError(`Cannot start Chromium "${executablePath}": ${error.code ?? error.message}`, { cause: error }));
        this.#cleanUp();
        resolve();
      });
      this.#child.once('exit', (code, signal) => {
        const how = signal !== null ? `signal ${signal}` : `code ${code}`;
        const detail = this.#isClosing ? '' : this.#lastError();
        this.#exitDescription = `Chromium exited (${how})${detail === '' ? '' : `: ${detail}`}`;
        this.connection.close(new BrowserClosedError(this.#exitDescription));
        this.#cleanUp();
        resolve();
      });
    });
  }

  /** pid is the process id of Chromium's browser process (also its process group). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** profile is the temporary --user-data-dir, removed when the browser has exited. */
  get profile(): string {
    return this.#profile;
  }

  /** close kills the browser and every process it started, then removes the profile. */
  async close(): Promise<void> {
    this.#isClosing = true;
    this.connection.close(new BrowserClosedError('The browser was closed'));
    let socketDir: string | undefined;
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      socketDir = this.#findSocketDir();
      killGroup(this.#child.pid);
    }
    await this.#exited;
    socketDir ??= singletonSocketDir(this.#profile, undefined);
    if (socketDir !== undefined) await rm(socketDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    await rm(this.#profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }

  /**
   * findSocketDir finds the folder of Chromium's process-singleton socket, which a killed browser
   * leaves behind, while the browser still runs (see singletonSocketDir).
   */
  #findSocketDir(): string | undefined {
    return singletonSocketDir(this.#profile, this.#child.pid);
  }

  /** kill ends the browser at once, synchronously (for process exit); close() is the usual way. */
  kill(): void {
    this.#isClosing = true;
    const isRunning = this.#child.exitCode === null && this.#child.signalCode === null;
    const socketDir = isRunning ? this.#findSocketDir() : singletonSocketDir(this.#profile, undefined);
    killGroup(this.#child.pid);
    live.delete(this);
    try {
      if (socketDir !== undefined) rmSync(socketDir, { recursive: true, force: true, maxRetries: 3 });
      rmSync(this.#profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A process that is still dying may hold the folder for a moment; nothing more can be done at exit.
    }
  }

  #cleanUp(): void {
    // Chromium's helpers are in its process group: make sure none outlives the browser process.
    killGroup(this.#child.pid);
    live.delete(this);
    this.#child.stdout?.destroy();
    this.#child.stderr?.destroy();
    (this.#child.stdio[4] as Readable | null)?.destroy();
  }

  #lastError(): string {
    const lines = this.#stderrTail.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/dbus|Fontconfig|unexpected operator/i.test(l));
    return (lines.at(-1) ?? '').slice(0, 300);
  }

  /** started waits until the browser answers, failing with BROWSER_LAUNCH (or TIMEOUT, ABORTED) otherwise. */
  async started(timeout: number, signal?: AbortSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let onAbort = (): void => {};
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BrowserTimeoutError(`Chromium did not start within ${timeout} ms`)), timeout);
      onAbort = () => reject(new BrowserAbortedError('Browser start aborted', { cause: signal?.reason }));
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const version = await Promise.race([this.connection.browser.send('Browser.getVersion'), expired]);
      this.version = typeof version.product === 'string' ? version.product : '';
      this.userAgent = typeof version.userAgent === 'string' ? version.userAgent : '';
    } catch (error) {
      if (BrowserClosedError.is(error)) {
        // The pipe may close before the exit status arrives: wait briefly for the reason.
        await Promise.race([this.#exited, new Promise((r) => setTimeout(r, 2000).unref())]);
        await this.close();
        throw new BrowserLaunchError(`Cannot start Chromium "${this.executablePath}": ${this.#exitDescription || error.message}`, { cause: error });
      }
      await this.close();
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * launchBrowser starts headless Chromium with a fresh temporary profile and resolves once it
 * answers on its DevTools pipe. The browser is killed at close(), and at process exit if still up.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = findChromium({ executablePath: options.executablePath });
  const browser = new Browser(executablePath, options.args ?? []);
  await browser.started(options.timeout ?? 30_000, options.signal);
  return browser;
}
