// The courier binary as a user runs it, for the CLI tests: runCli runs a command to its end,
// startCli starts a server command (serve, echo) and waits for its banner. Both kill the child
// when it overruns its time, and say what it printed.
import { Buffer } from 'node:buffer';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** MAIN is the built CLI entry point (dist/src/cli/main.js). */
export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** CliRun is the outcome of one command run to its end. */
export interface CliRun {
  /** code is the exit code, null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** CliOptions give a command its stdin, working folder, environment and time. */
export interface CliOptions {
  /** stdin is written and then closed; without it stdin is closed at once. */
  stdin?: string | Uint8Array;
  cwd?: string;
  /** env is added to this process's environment, whose proxy variables are cleared. */
  env?: Record<string, string>;
  /** timeoutMs: the child is killed (SIGKILL) and the run fails after this long. Default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function environment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, http_proxy: '', HTTP_PROXY: '', https_proxy: '', HTTPS_PROXY: '', ...env };
}

/** runCli runs `node main.js ...args` to its end and collects its output and exit code. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: environment(options.env) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      const stderr = Buffer.concat(err).toString();
      reject(new Error(`courier ${args.join(' ')} did not end within ${timeoutMs} ms; stderr: ${stderr.slice(0, 500)}`));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** RunningCli is a server command that printed its banner. */
export interface RunningCli {
  readonly child: ChildProcess;
  /** url is the first URL of the banner, with its trailing slash. */
  readonly url: string;
  readonly port: number;
  /** output and errors are what stdout and stderr printed so far. */
  output(): string;
  errors(): string;
  /** stop sends the signal (SIGINT unless given) and resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * startCli runs `node main.js ...args` (courier serve or echo) and resolves once its banner shows
 * the URL and "Press Ctrl-C"; it fails when the command exits first or no banner comes in time
 * (default 20 s, then SIGKILL).
 */
export function startCli(args: string[], options: Omit<CliOptions, 'stdin'> = {}): Promise<RunningCli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: environment(options.env) });
    let out = '';
    let err = '';
    let isStarted = false;
    const timeoutMs = options.timeoutMs ?? 20_000;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`courier ${args.join(' ')}: no banner within ${timeoutMs} ms: ${out} ${err}`));
    }, timeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (isStarted) return;
      const match = /(https?):\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (match === null || !out.includes('Press Ctrl-C')) return;
      isStarted = true;
      clearTimeout(timer);
      resolve({
        child,
        url: match[0],
        port: Number(match[2]),
        output: () => out,
        errors: () => err,
        stop: (signal = 'SIGINT') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      if (isStarted) return;
      clearTimeout(timer);
      reject(new Error(`courier ${args.join(' ')} exited with ${code} before its banner: ${out} ${err}`));
    });
  });
}
