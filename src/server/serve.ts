import { closeWorkerOnSignal, isClusterPrimary, startWorkers, type RunningServer } from './cluster.js';
import { InvalidServerOptionError } from './errors.js';
import { fetchHandler, type FetchHandler } from './fetch.js';
import { installLightResponse } from './light-response.js';
import { Server, type ListenOptions, type ServerOptions } from './server.js';

/** ServeOptions configure serve(): a Fetch-standard handler, where to listen, limits, TLS, workers. */
export interface ServeOptions extends ServerOptions, ListenOptions {
  fetch: FetchHandler;
  /**
   * workers runs this many processes through node:cluster, all on one port. The script that
   * calls serve() runs again in every worker. Default 1 (this process only).
   */
  workers?: number;
  /**
   * lightResponse installs a lazy subclass as globalThis.Response, so `new Response(text)`
   * costs a record instead of a web stream (as @hono/node-server does). `instanceof Response`
   * still holds. Default true; set false to leave the global alone.
   */
  lightResponse?: boolean;
}

/**
 * serve runs a Fetch-standard handler (`(request: Request) => Response`), the convention of
 * Bun.serve, Deno.serve and @hono/node-server, and resolves to the listening server.
 * Port defaults to 0 (a free port), hostname to "127.0.0.1".
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  if (typeof options.fetch !== 'function') {
    throw new InvalidServerOptionError('Invalid option "fetch": expected a function');
  }
  if (options.lightResponse !== false) installLightResponse();
  if (isClusterPrimary(options.workers)) return startWorkers(options.workers as number, options.tls !== undefined);
  let origin = '';
  const server = new Server(
    fetchHandler(options.fetch, () => origin),
    options,
  );
  const listen: ListenOptions = {};
  if (options.port !== undefined) listen.port = options.port;
  if (options.hostname !== undefined) listen.hostname = options.hostname;
  else if (options.host !== undefined) listen.hostname = options.host;
  await server.listen(listen);
  origin = server.url.slice(0, -1);
  closeWorkerOnSignal(server);
  return server;
}
