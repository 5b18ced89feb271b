import cluster, { type Worker } from 'node:cluster';
import { baseUrl } from '../http/index.js';
import { ServerError } from './errors.js';

/** RunningServer is what serve() resolves to: a listening server, in this process or in workers. */
export interface RunningServer {
  readonly port: number;
  readonly hostname: string;
  readonly url: string;
  /** close shuts down gracefully and resolves when every connection (or worker) is gone. */
  close(): Promise<void>;
}

const CLOSE_MESSAGE = 'courier:close';

/** isClusterPrimary tells whether serve() should fork workers rather than listen itself. */
export function isClusterPrimary(workers: number | undefined): boolean {
  return workers !== undefined && workers > 1 && cluster.isPrimary;
}

/**
 * startWorkers forks `count` processes running the same script (node:cluster); each of them
 * calls serve() again and listens on the shared port. It resolves once every worker listens.
 */
export function startWorkers(count: number, isTls: boolean): Promise<RunningServer> {
  if (!Number.isInteger(count) || count < 2) {
    throw new ServerError('SERVER_INVALID_OPTION', `Invalid option "workers": expected an integer >= 2, got "${count}"`);
  }
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let listening = 0;
    let port = 0;
    let hostname = '';
    let isClosing = false;
    const onListening = (_worker: Worker, address: { address: string | null; port: number }): void => {
      port = address.port;
      hostname = address.address ?? '127.0.0.1';
      if (++listening === count) {
        cluster.off('listening', onListening);
        cluster.off('exit', onEarlyExit);
        resolve(handle);
      }
    };
    const onEarlyExit = (worker: Worker, code: number): void => {
      cluster.off('listening', onListening);
      cluster.off('exit', onEarlyExit);
      for (const w of workers) if (w !== worker) w.kill();
      reject(new ServerError('SERVER_NOT_LISTENING', `Worker ${worker.process.pid ?? '?'} exited with code "${code}" before listening`));
    };
    const handle: RunningServer = {
      get port() {
        return port;
      },
      get hostname() {
        return hostname;
      },
      get url() {
        return `${baseUrl(isTls ? 'https' : 'http', hostname, port)}/`;
      },
      close(): Promise<void> {
        if (isClosing) return Promise.resolve();
        isClosing = true;
        const exits = workers.filter((w) => !w.isDead()).map((w) => new Promise<void>((done) => w.once('exit', () => done())));
        for (const w of workers) if (w.isConnected()) w.send(CLOSE_MESSAGE);
        return Promise.all(exits).then(() => undefined);
      },
    };
    cluster.on('listening', onListening);
    cluster.on('exit', onEarlyExit);
    for (let i = 0; i < count; i++) workers.push(cluster.fork());
  });
}

/**
 * closeWorkerOnSignal makes a cluster worker close its server gracefully and exit when the
 * primary asks, when the primary goes away, or on SIGINT/SIGTERM.
 */
export function closeWorkerOnSignal(server: RunningServer): void {
  if (!cluster.isWorker) return;
  let isClosing = false;
  const stop = (): void => {
    if (isClosing) return;
    isClosing = true;
    void server.close().then(() => process.exit(0));
  };
  process.on('message', (message) => {
    if (message === CLOSE_MESSAGE) stop();
  });
  process.on('disconnect', stop);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
