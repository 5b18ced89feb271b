import cluster, { type Worker } from 'node:cluster';
import { baseUrl } from '../http/index.js';
import { InvalidServerOptionError, NotListeningError } from './errors.js';

/** RunningServer is what serve() resolves to: a listening server, in this process or in workers. */
export interface RunningServer {
  readonly port: number;
  readonly hostname: string;
  readonly url: string;
  /** close shuts down gracefully and resolves when every connection (or worker) is gone. */
  close(): Promise<void>;
}

const CLOSE_MESSAGE = 'courier:close';

/** RESTART_DELAY_MS is the first wait before a crashed worker is replaced; it doubles per crash in a row. */
const RESTART_DELAY_MS = 100;
/** MAX_RESTART_DELAY_MS caps the back-off between restarts. */
const MAX_RESTART_DELAY_MS = 10_000;
/** STABLE_MS is how long without a crash resets the back-off. */
const STABLE_MS = 10_000;

/**
 * restartDelay is the back-off before replacing a worker after `crashes` crashes in a row:
 * 100 ms, 200 ms, 400 ms... up to 10 s.
 */
export function restartDelay(crashes: number): number {
  return Math.min(RESTART_DELAY_MS * 2 ** Math.max(0, crashes - 1), MAX_RESTART_DELAY_MS);
}

/** isClusterPrimary tells whether serve() should fork workers rather than listen itself. */
export function isClusterPrimary(workers: number | undefined): boolean {
  return workers !== undefined && workers > 1 && cluster.isPrimary;
}

/**
 * startWorkers forks `count` processes running the same script (node:cluster); each of them
 * calls serve() again and listens on the shared port. It resolves once every worker listens.
 * A worker that dies afterwards (not asked to by close()) is replaced after a back-off
 * (restartDelay), with one line on stderr (or to `log`) saying which worker died and how.
 * `env` is added to every worker's environment.
 */
export function startWorkers(
  count: number,
  isTls: boolean,
  log: (line: string) => void = (line) => process.stderr.write(line),
  env: Readonly<Record<string, string>> = {},
): Promise<RunningServer> {
  if (!Number.isInteger(count) || count < 2) {
    throw new InvalidServerOptionError(`Invalid option "workers": expected an integer >= 2, got "${count}"`);
  }
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let listening = 0;
    let port = 0;
    let hostname = '';
    let isClosing = false;
    let crashes = 0;
    let lastCrash = 0;
    const timers = new Set<NodeJS.Timeout>();
    // Workers whose server listens, and so have their close handler in place: one still starting
    // (a replacement, say) would lose the close message and keep the primary waiting for ever.
    const serving = new WeakSet<Worker>();
    const onServing = (worker: Worker): void => {
      serving.add(worker);
    };
    // After start: a worker that dies unasked is replaced, later each time it happens in a row.
    const onExit = (worker: Worker, code: number | null, signal: string | null): void => {
      if (isClosing || !workers.includes(worker)) return;
      workers.splice(workers.indexOf(worker), 1);
      const now = Date.now();
      crashes = now - lastCrash > STABLE_MS ? 1 : crashes + 1;
      lastCrash = now;
      const delay = restartDelay(crashes);
      const how = signal !== null ? `signal ${signal}` : `code ${code ?? '?'}`;
      log(`courier: worker ${worker.process.pid ?? '?'} exited with ${how}; starting another in ${delay} ms\n`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!isClosing) workers.push(cluster.fork(env));
      }, delay);
      timers.add(timer);
    };
    const onListening = (_worker: Worker, address: { address: string | null; port: number }): void => {
      port = address.port;
      hostname = address.address ?? '127.0.0.1';
      if (++listening === count) {
        cluster.off('listening', onListening);
        cluster.off('exit', onEarlyExit);
        cluster.on('exit', onExit);
        resolve(handle);
      }
    };
    const onEarlyExit = (worker: Worker, code: number): void => {
      cluster.off('listening', onListening);
      cluster.off('exit', onEarlyExit);
      for (const w of workers) if (w !== worker) w.kill();
      reject(new NotListeningError(`Worker ${worker.process.pid ?? '?'} exited with code "${code}" before listening`));
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
        cluster.off('exit', onExit);
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const exits = workers.filter((w) => !w.isDead()).map((w) => new Promise<void>((done) => w.once('exit', () => done())));
        cluster.off('listening', onServing);
        for (const w of workers) {
          if (w.isDead()) continue;
          if (serving.has(w) && w.isConnected()) w.send(CLOSE_MESSAGE);
          else w.process.kill('SIGTERM'); // not serving yet: nothing in flight to finish
        }
        return Promise.all(exits).then(() => undefined);
      },
    };
    cluster.on('listening', onServing);
    cluster.on('listening', onListening);
    cluster.on('exit', onEarlyExit);
    for (let i = 0; i < count; i++) workers.push(cluster.fork(env));
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
