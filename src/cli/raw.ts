// `courier raw HOST:PORT`: the socket lesson as one command. Sends the request bytes it is given,
// exactly, then shows every byte that comes back until the server closes: CR and LF visible, the
// end of the head marked, each read counted on stderr. It speaks no HTTP itself: that is the point.
import { Buffer } from 'node:buffer';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Command } from './commands.js';
import { ExitError } from './exit-error.js';
import { RAW_HELP, UsageError, parseRawArgs, toCrlf, type RawConfig } from './raw-options.js';
import { escapeLine } from './trace.js';

/** HEAD_SCAN_MAX is how far the end of the head (CR LF CR LF) is looked for. */
const HEAD_SCAN_MAX = 1024 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) process.stderr.write('Type the request; end it with an empty line, then Ctrl-D.\n');
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function requestBytes(config: RawConfig): Promise<Buffer> {
  let bytes: Buffer;
  if (config.request !== undefined) bytes = config.request;
  else if (config.file === undefined || config.file === '-') bytes = await readStdin();
  else {
    try {
      bytes = readFileSync(config.file);
    } catch (error) {
      throw new ExitError(26, `Cannot read "${config.file}": ${errnoOf(error) ?? String(error)}`);
    }
  }
  return config.isBinary ? bytes : toCrlf(bytes);
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const TLS_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function connectError(config: RawConfig, error: unknown, isConnected: boolean): ExitError {
  const code = errnoOf(error) ?? '';
  const where = `${config.host}:${config.port}`;
  if (code === 'ECONNREFUSED') return new ExitError(7, `connect ECONNREFUSED ${where}: nothing listens there`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ExitError(6, `Cannot resolve "${config.host}" (${code})`);
  if (TLS_CERT_CODES.has(code)) return new ExitError(35, `TLS certificate of ${where} not trusted (${code}): use --cacert FILE, or -k to skip the check`);
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) {
    return new ExitError(35, `TLS handshake with ${where} failed (${code}): is it a TLS port? Without --tls the bytes go as they are`);
  }
  if (isConnected) return new ExitError(56, `Connection to ${where} lost (${code || String(error)})`);
  return new ExitError(7, `Cannot connect to ${where} (${code || String(error)})`);
}

/** Shown renders received bytes as the lesson's loop would print them, CR and LF made visible. */
class Shown {
  #out: (text: string) => void;
  #bodyOut: number | null;
  #bodyOutPath: string | undefined;
  #head: Buffer[] = [];
  #headLength = 0;
  /** #headEnd is the number of bytes up to and with the CR LF CR LF, or -1 while not seen. */
  #headEnd = -1;
  #isHeadSearchOver = false;
  #carry: Buffer = Buffer.alloc(0);
  #bodyBytes = 0;
  #binaryType: string | null = null;

  constructor(out: (text: string) => void, bodyOut: number | null, bodyOutPath: string | undefined) {
    this.#out = out;
    this.#bodyOut = bodyOut;
    this.#bodyOutPath = bodyOutPath;
  }

  /** add shows one read. */
  add(chunk: Buffer): void {
    if (this.#headEnd >= 0 || this.#isHeadSearchOver) {
      this.#body(chunk);
      return;
    }
    const before = this.#headLength;
    this.#head.push(chunk);
    this.#headLength += chunk.length;
    const seen = Buffer.concat(this.#head);
    const end = seen.indexOf(CRLFCRLF, Math.max(0, before - 3));
    if (end === -1) {
      if (this.#headLength > HEAD_SCAN_MAX) this.#isHeadSearchOver = true;
      this.#lines(chunk);
      return;
    }
    this.#headEnd = end + 4;
    const inChunk = this.#headEnd - before;
    this.#lines(chunk.subarray(0, inChunk));
    this.#flushCarry();
    const head = seen.subarray(0, this.#headEnd).toString('latin1');
    const type = /\r\ncontent-type:[ \t]*([^\r;]*)/i.exec(head)?.[1]?.trim().toLowerCase();
    if (type !== undefined && !isTextType(type)) this.#binaryType = type;
    const lines = head.split('\r\n').length - 2;
    this.#out(`---- end of the head: ${lines} lines, ${this.#headEnd} bytes; the body follows ----\n`);
    if (inChunk < chunk.length) this.#body(chunk.subarray(inChunk));
  }

  /** end shows what is left when the server closed (or the wait ended). */
  end(): void {
    this.#flushCarry();
    if (this.#headEnd < 0) {
      this.#out(`---- no end of the head (CR LF CR LF) in ${this.#headLength} bytes ----\n`);
      return;
    }
    if (this.#bodyOut !== null) this.#out(`---- body: ${this.#bodyBytes} bytes saved to ${this.#bodyOutPath ?? ''} ----\n`);
    else if (this.#binaryType !== null) {
      this.#out(`---- body: ${this.#bodyBytes} bytes of ${this.#binaryType}, not shown: save them with --body-out FILE ----\n`);
    } else this.#out(`---- end of the body: ${this.#bodyBytes} bytes ----\n`);
  }

  #body(chunk: Buffer): void {
    this.#bodyBytes += chunk.length;
    if (this.#bodyOut !== null) {
      try {
        writeSync(this.#bodyOut, chunk);
      } catch (error) {
        throw new ExitError(23, `Cannot write "${this.#bodyOutPath ?? ''}": ${errnoOf(error) ?? String(error)}`);
      }
      return;
    }
    if (this.#binaryType === null) this.#lines(chunk);
  }

  /** #lines prints every complete line (up to and with its LF), keeping the rest for later. */
  #lines(chunk: Buffer): void {
    let bytes = this.#carry.length === 0 ? chunk : Buffer.concat([this.#carry, chunk]);
    let text = '';
    for (;;) {
      const lf = bytes.indexOf(0x0a);
      if (lf === -1) break;
      text += `${escapeLine(bytes, 0, lf + 1)}\n`;
      bytes = bytes.subarray(lf + 1);
    }
    this.#carry = Buffer.from(bytes);
    if (text !== '') this.#out(text);
  }

  #flushCarry(): void {
    if (this.#carry.length > 0) this.#out(`${escapeLine(this.#carry)}\n`);
    this.#carry = Buffer.alloc(0);
  }
}

function isTextType(type: string): boolean {
  return type.startsWith('text/') || /[/+](json|xml|javascript|ecmascript)$/.test(type) || type === 'application/x-www-form-urlencoded';
}

function open(config: RawConfig): Socket {
  if (!config.isTls) return connectTcp({ host: config.host, port: config.port });
  let ca: Buffer | undefined;
  if (config.cacert !== undefined) {
    try {
      ca = readFileSync(config.cacert);
    } catch (error) {
      throw new ExitError(26, `Cannot read "${config.cacert}": ${errnoOf(error) ?? String(error)}`);
    }
  }
  return connectTls({
    host: config.host,
    port: config.port,
    ...(isIP(config.host) === 0 && { servername: config.host }),
    rejectUnauthorized: !config.isInsecure,
    ...(ca !== undefined && { ca }),
  });
}

async function exchange(config: RawConfig, request: Buffer): Promise<void> {
  let bodyOut: number | null = null;
  if (config.bodyOut !== undefined) {
    try {
      bodyOut = openSync(config.bodyOut, 'w');
    } catch (error) {
      throw new ExitError(23, `Cannot write "${config.bodyOut}": ${errnoOf(error) ?? String(error)}`);
    }
  }
  const shown = new Shown((text) => process.stdout.write(text), bodyOut, config.bodyOut);
  const socket = open(config);
  try {
    await new Promise<void>((resolve, reject) => {
      let total = 0;
      let reads = 0;
      let isConnected = false;
      let isDone = false;
      const timer = setTimeout(() => {
        isDone = true;
        socket.destroy();
        shown.end();
        const hint = total === 0 ? 'no answer at all' : 'an HTTP/1.1 server keeps the connection open: send "Connection: close", or use HTTP/1.0';
        reject(new ExitError(28, `The server did not close the connection within ${config.timeoutMs / 1000} s (${hint})`));
      }, config.timeoutMs);
      const fail = (error: unknown): void => {
        isDone = true;
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      socket.once(config.isTls ? 'secureConnect' : 'connect', () => {
        isConnected = true;
        // Exactly the bytes given; the write side stays open, as in the lesson.
        if (request.length > 0) socket.write(request);
      });
      socket.on('data', (chunk: Buffer) => {
        reads++;
        total += chunk.length;
        process.stderr.write(`read ${chunk.length} bytes, ${total} so far\n`);
        try {
          shown.add(chunk);
        } catch (error) {
          fail(error);
        }
      });
      socket.on('error', (error) => {
        // A reset after the answer is the server's way of closing too (it read no more).
        if (isDone || (isConnected && total > 0 && errnoOf(error) === 'ECONNRESET')) return;
        if (total > 0) shown.end();
        fail(connectError(config, error, isConnected));
      });
      socket.on('close', () => {
        if (isDone) return;
        isDone = true;
        clearTimeout(timer);
        shown.end();
        process.stderr.write(`closed by the server after ${total} bytes in ${reads} ${reads === 1 ? 'read' : 'reads'}\n`);
        resolve();
      });
    });
  } finally {
    if (bodyOut !== null) closeSync(bodyOut);
  }
}

/** rawCommand runs `courier raw` and resolves to its exit status. */
export const rawCommand: Command = async (argv) => {
  let config: RawConfig;
  try {
    config = parseRawArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`courier raw: ${error.message} (see courier raw --help)\n`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(RAW_HELP);
    return 0;
  }
  try {
    await exchange(config, await requestBytes(config));
    return 0;
  } catch (error) {
    if (!(error instanceof ExitError)) throw error;
    process.stderr.write(`courier raw: ${error.message}\n`);
    return error.status;
  }
};
