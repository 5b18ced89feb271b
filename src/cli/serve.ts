// `courier serve [dir]`: flags in, a static file server out. Every decision is the library's;
// this file only parses, prints and handles signals.
import cluster from 'node:cluster';
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createServer as createProbe } from 'node:net';
import { availableParallelism, networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { createServer, type RunningServer, type Server, type ServerOptions } from '../server/index.js';
import { closeWorkerOnSignal, startWorkers } from '../server/cluster.js';
import type { Handler } from '../server/types.js';
import { StaticError } from '../static/errors.js';
import { staticFiles } from '../static/handler.js';
import { rejectionLog, withAccessLog } from '../server/access-log.js';
import type { Command } from './commands.js';
import { SERVE_HELP, UsageError, isLoopback, listenUrls, parseServeArgs, portShorthand, type ServeConfig } from './serve-options.js';

/** PORT_TRIES is how many ports after the default are tried when it is busy. */
const PORT_TRIES = 50;
const WORKER_PORT_ENV = 'COURIER_SERVE_PORT';

function fail(message: string): number {
  process.stderr.write(`courier serve: ${message}\n`);
  return 1;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function buildHandler(config: ServeConfig): Handler {
  const handler = staticFiles(config.dir, {
    cors: config.cors,
    spa: config.spa,
    cacheControl: config.cacheControl,
    dotfiles: config.dotfiles,
    listing: config.listing,
    compress: config.compress,
    precompressed: config.compress,
    followSymlinks: config.followSymlinks,
    headers: config.headers,
  });
  return withAccessLog(handler, config.log, (line) => process.stdout.write(line));
}

function serverOptions(config: ServeConfig): ServerOptions {
  const onRequestRejected = rejectionLog(config.log, (line) => process.stdout.write(line));
  const logging = onRequestRejected === undefined ? {} : { onRequestRejected };
  if (config.tlsCert === undefined || config.tlsKey === undefined) return logging;
  return { ...logging, tls: { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } };
}

/** bindPort finds the port to use: the asked one, or with no --port the next free one. */
async function bindPort(config: ServeConfig, tryListen: (port: number) => Promise<void>): Promise<number> {
  const last = config.isPortExplicit || config.port === 0 ? config.port : Math.min(65535, config.port + PORT_TRIES);
  for (let port = config.port; ; port++) {
    try {
      await tryListen(port);
      return port;
    } catch (error) {
      if (errnoOf(error) !== 'EADDRINUSE' || port >= last) throw error;
    }
  }
}

function probe(host: string): (port: number) => Promise<void> {
  return (port) =>
    new Promise((resolvePromise, reject) => {
      const server = createProbe();
      server.once('error', reject);
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolvePromise()));
    });
}

function listenError(config: ServeConfig, error: unknown): number {
  const code = errnoOf(error);
  if (code === 'EADDRINUSE') {
    return config.isPortExplicit
      ? fail(`Port ${config.port} on ${config.host} is in use (EADDRINUSE): choose another with --port`)
      : fail(`Ports ${config.port} to ${config.port + PORT_TRIES} on ${config.host} are all in use (EADDRINUSE)`);
  }
  if (code === 'EACCES') return fail(`Port ${config.port} needs privileges (EACCES): choose one above 1023 with --port`);
  if (code === 'EADDRNOTAVAIL') return fail(`Address "${config.host}" is not on this machine (EADDRNOTAVAIL)`);
  return fail(`Cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`);
}

function printBanner(config: ServeConfig, port: number, workers: number): void {
  const isTls = config.tlsCert !== undefined;
  const lines = [`Serving ${resolve(config.dir)}${workers > 1 ? ` with ${workers} workers` : ''}`];
  if (config.portFromFolderName) lines.push(`No folder "${config.port}" here, so the current folder is served on port ${config.port}.`);
  if (port !== config.port && config.port !== 0) lines.push(`Port ${config.port} is in use, so port ${port} is used instead.`);
  for (const url of listenUrls(config.host, port, isTls, networkInterfaces())) lines.push(`  ${url}`);
  if (isLoopback(config.host)) lines.push('Only this machine can connect. To share on your network: --host 0.0.0.0');
  lines.push('Press Ctrl-C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => process.stderr.write(`courier serve: could not open a browser ("${command}" is missing); open ${url} yourself\n`));
    child.unref();
  } catch {
    process.stderr.write(`courier serve: could not open a browser; open ${url} yourself\n`);
  }
}

/** untilSignal resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolvePromise) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const force = (): void => process.exit(130);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolvePromise(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

async function runSingle(config: ServeConfig, handler: Handler, options: ServerOptions): Promise<number> {
  const server: Server = createServer(handler, options);
  let port: number;
  try {
    port = await bindPort(config, async (p) => {
      await server.listen({ port: p, hostname: config.host });
    });
  } catch (error) {
    return listenError(config, error);
  }
  port = server.port;
  printBanner(config, port, 1);
  if (config.open) openBrowser(listenUrls(config.host, port, options.tls !== undefined, {})[0] as string);
  await untilSignal();
  process.stdout.write('Shutting down: finishing the requests in flight (Ctrl-C again to force)\n');
  await server.close();
  return 0;
}

// One clustering implementation (src/server/cluster.ts): workers replaced after a back-off with
// a log line, closed gracefully by message. The port is probed here and handed down by env.
async function runPrimary(config: ServeConfig, workers: number, isTls: boolean): Promise<number> {
  let port: number;
  try {
    port = await bindPort(config, probe(config.host));
  } catch (error) {
    return listenError(config, error);
  }
  let running: RunningServer;
  try {
    running = await startWorkers(workers, isTls, (line) => process.stderr.write(line), { [WORKER_PORT_ENV]: String(port) });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  // With port 0 the workers share the port the first of them got.
  printBanner(config, running.port, workers);
  if (config.open) openBrowser(listenUrls(config.host, running.port, isTls, {})[0] as string);
  await untilSignal();
  process.stdout.write('Shutting down: finishing the requests in flight (Ctrl-C again to force)\n');
  await running.close();
  return 0;
}

async function runWorker(config: ServeConfig, handler: Handler, options: ServerOptions): Promise<number> {
  const server = createServer(handler, options);
  await server.listen({ port: Number(process.env[WORKER_PORT_ENV]), hostname: config.host });
  // On the primary's message, its exit, SIGINT (the terminal's Ctrl-C reaches the whole group)
  // or SIGTERM, the server closes after the requests in flight and the process exits 0.
  closeWorkerOnSignal(server);
  return new Promise<number>(() => {});
}

/** serveCommand runs `courier serve`; it resolves to the exit code after a graceful shutdown. */
export const serveCommand: Command = async (argv) => {
  let config: ServeConfig;
  try {
    config = parseServeArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`courier serve: ${error.message} (try courier serve --help)\n`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  config = portShorthand(config, isFolder(config.dir));
  let handler: Handler;
  let options: ServerOptions;
  try {
    handler = buildHandler(config);
    options = serverOptions(config);
  } catch (error) {
    if (StaticError.is(error)) return fail(error.message);
    return fail(`Cannot read the TLS files: ${error instanceof Error ? error.message : String(error)}`);
  }
  const workers = config.workers === 0 ? availableParallelism() : config.workers;
  if (cluster.isWorker && process.env[WORKER_PORT_ENV] !== undefined) return runWorker(config, handler, options);
  if (workers > 1) return runPrimary(config, workers, options.tls !== undefined);
  return runSingle(config, handler, options);
};
