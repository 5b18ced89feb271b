// `courier render URL`: flags in, one render() through headless Chromium, the page out. Every
// browser decision is the library's; this file parses, prints, writes files and maps exit codes.
import { writeFile } from 'node:fs/promises';
import { BrowserError, render, toHar, type RenderOptions, type RenderResult } from '../browser/index.js';
import type { Command } from './commands.js';
import { ExitError } from './exit-error.js';
import { RENDER_HELP, UsageError, parseRenderArgs, type RenderConfig } from './render-options.js';
import { formatRequestTable, formatSummary } from './request-table.js';
import { version } from './version.js';

/** RENDER_EXIT_CODES maps browser error codes to the exit statuses of `courier get`. */
export const RENDER_EXIT_CODES: Readonly<Record<string, number>> = {
  BROWSER_INVALID_ARGUMENT: 2,
  BROWSER_INVALID_URL: 3,
  BROWSER_DNS: 6,
  BROWSER_CONNECT_REFUSED: 7,
  BROWSER_CONNECT: 7,
  BROWSER_BAD_RESPONSE: 8,
  BROWSER_TIMEOUT: 28,
  BROWSER_TLS: 35,
  BROWSER_TOO_MANY_REDIRECTS: 47,
  BROWSER_EMPTY_REPLY: 52,
  BROWSER_CONNECTION_LOST: 56,
  BROWSER_PROXY: 97,
  BROWSER_ABORTED: 130,
};

/** pageUrl adds http:// to a URL written without a scheme, as `courier get` does. */
function pageUrl(text: string): string {
  const url = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+:\d/.test(text) ? text : `http://${text}`;
  try {
    return new URL(url).href;
  } catch {
    throw new ExitError(3, `Invalid URL "${text}"`);
  }
}

function renderOptions(config: RenderConfig, signal: AbortSignal): RenderOptions {
  const options: RenderOptions = { wait: config.wait, timeout: config.timeout, signal, headers: config.headers };
  if (config.waitFor !== undefined) options.waitFor = config.waitFor;
  if (config.viewport !== undefined) options.viewport = config.viewport;
  if (config.userAgent !== undefined) options.userAgent = config.userAgent;
  if (config.insecure) options.insecure = true;
  if (config.proxy !== undefined) options.proxy = config.proxy;
  if (config.browser !== undefined) options.executablePath = config.browser;
  if (config.evaluate !== undefined) options.evaluate = config.evaluate;
  if (config.screenshot !== undefined) Object.assign(options, { screenshot: true, fullPage: config.fullPage });
  if (config.pdf !== undefined) options.pdf = true;
  return options;
}

async function save(path: string, bytes: Uint8Array | string): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ExitError(23, `cannot write "${path}": ${typeof code === 'string' ? code : String(error)}`);
  }
}

/** writeStdout writes and waits until the bytes are handed to the OS (a closed pipe: exit 23). */
function writeStdout(text: string): Promise<void> {
  // The write's callback reports the failure; without a listener the stream's 'error' event would crash.
  if (process.stdout.listenerCount('error') === 0) process.stdout.on('error', () => {});
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error == null ? resolve() : reject(new ExitError(23, `Failure writing output: ${(error as NodeJS.ErrnoException).code ?? error.message}`))));
  });
}

async function output(config: RenderConfig, result: RenderResult): Promise<void> {
  if (config.requests) process.stderr.write(`${formatRequestTable(result.requests, result.url)}${formatSummary(result.requests, result.timings)}`);
  if (config.screenshot !== undefined && result.screenshot !== undefined) await save(config.screenshot, result.screenshot);
  if (config.pdf !== undefined && result.pdf !== undefined) await save(config.pdf, result.pdf);
  if (config.har !== undefined) {
    const har = `${JSON.stringify(toHar(result, { creator: { name: 'courier', version: version() } }), null, 2)}\n`;
    if (config.har === '-') await writeStdout(har);
    else await save(config.har, har);
  }
  let text: string | undefined;
  if (config.evaluate !== undefined) text = `${JSON.stringify(result.value ?? null, null, 2)}\n`;
  else if (config.output !== undefined || (config.screenshot === undefined && config.pdf === undefined && config.har === undefined)) text = result.html.endsWith('\n') ? result.html : `${result.html}\n`;
  if (text === undefined) return;
  if (config.output !== undefined) await save(config.output, text);
  else await writeStdout(text);
}

async function run(config: RenderConfig): Promise<number> {
  const url = pageUrl(config.url);
  const controller = new AbortController();
  let signalled: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) process.exit(signal === 'SIGINT' ? 130 : 143); // the 'exit' hook kills the browser
    signalled = signal;
    controller.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await render(url, renderOptions(config, controller.signal));
    if (config.fail && result.status >= 400) {
      throw new ExitError(22, `The requested URL returned error: ${result.status}${result.statusText === '' ? '' : ` ${result.statusText}`}`);
    }
    await output(config, result);
    return 0;
  } catch (error) {
    if (signalled !== undefined) throw new ExitError(signalled === 'SIGINT' ? 130 : 143, `interrupted (${signalled})`);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function exitFor(error: unknown): { status: number; message: string } {
  if (error instanceof ExitError) return { status: error.status, message: error.message };
  if (error instanceof UsageError) return { status: 2, message: error.message };
  if (BrowserError.is(error)) return { status: RENDER_EXIT_CODES[error.code] ?? 1, message: error.message };
  return { status: 1, message: error instanceof Error ? error.message : String(error) };
}

/** renderCommand runs `courier render` and resolves to its exit status. */
export const renderCommand: Command = async (argv) => {
  let config: RenderConfig;
  try {
    config = parseRenderArgs(argv);
  } catch (error) {
    process.stderr.write(`courier render: ${exitFor(error).message}\n`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(RENDER_HELP);
    return 0;
  }
  try {
    return await run(config);
  } catch (error) {
    const { status, message } = exitFor(error);
    process.stderr.write(`courier render: ${message}\n`);
    return status;
  }
};
