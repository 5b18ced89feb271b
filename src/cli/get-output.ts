// Where `courier get` puts a response body: stdout (indented JSON on a terminal, never binary
// there) or a file (with a progress bar on a terminal, resumable with -C).
import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createWriteStream, openSync, statSync, truncateSync, writeFileSync, type WriteStream } from 'node:fs';
import { basename } from 'node:path';
import type { ClientResponse } from '../client/index.js';
import { ExitError } from './exit-error.js';
import type { GetConfig } from './get-options.js';
import { indentJson, isJsonType } from './get-terminal.js';
import type { Transfer } from './get-transfer.js';
import { ProgressBar } from './progress.js';
import { responseHeadText } from './trace.js';

// JSON bodies bigger than this are printed as they come, not re-indented.
const MAX_INDENTED = 16 * 1024 * 1024;

/** isBinary tells whether bytes look like binary data (a NUL byte, as HTTPie checks). */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 4096).includes(0);
}

/** remoteName picks a local file name from the URL's last path segment, like curl -O. */
export function remoteName(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  let name = '';
  try {
    name = basename(decodeURIComponent(segment));
  } catch {
    name = basename(segment);
  }
  if (name === '' || name === '.' || name === '..') return 'index.html';
  return name;
}

/** write writes a chunk to a stream and waits for it to drain when its buffer is full. */
export async function write(stream: NodeJS.WritableStream | WriteStream, chunk: Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/**
 * stdoutWriter writes to stdout with backpressure; once stdout fails (a closed pipe: EPIPE) every
 * write fails with exit status 23, as curl's "Failure writing output".
 */
export function stdoutWriter(): (chunk: Uint8Array) => Promise<void> {
  const out = process.stdout;
  let failure: ExitError | null = null;
  let onFailure: ((error: ExitError) => void) | null = null;
  out.on('error', (error: NodeJS.ErrnoException) => {
    failure = new ExitError(23, `Failure writing output: ${error.code ?? error.message}`);
    onFailure?.(failure);
  });
  return async (chunk) => {
    if (failure !== null) throw failure;
    if (out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      onFailure = reject;
      out.once('drain', () => resolve());
    });
    onFailure = null;
  };
}

/** Download is the file a body goes to and the byte offset it resumes from. */
export interface Download {
  path: string;
  offset: number;
}

/** resumeOffset is the -C offset: the number given, or the output file's size for "-". */
export function resumeOffset(config: GetConfig, path: string): number {
  if (config.continueAt === undefined) return 0;
  if (config.continueAt !== '-') return Number(config.continueAt);
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** headText is a response head as it came on the wire: status line, fields, blank line, CRLF. */
export function headText(response: ClientResponse): string {
  return `${responseHeadText(response).join('\r\n')}\r\n\r\n`;
}

/** printBody writes the body to stdout; on a terminal JSON is indented and binary is refused. */
export async function printBody(response: ClientResponse, transfer: Transfer, isSilent = false): Promise<void> {
  const out = process.stdout;
  const writeOut = stdoutWriter();
  const iterator = response.body[Symbol.asyncIterator]();
  const isTerminal = out.isTTY === true;
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  let isHolding = isTerminal && isJsonType(response.headers.get('content-type'));
  let first = true;
  for (let r = await iterator.next(); r.done !== true; r = await iterator.next()) {
    transfer.downloadBytes += r.value.length;
    if (first && isTerminal && isBinary(r.value)) {
      await iterator.return?.();
      if (!isSilent) process.stderr.write('courier get: binary body not shown on a terminal: use -o FILE or a pipe\n');
      return;
    }
    first = false;
    if (isHolding) {
      held.push(r.value);
      heldBytes += r.value.length;
      if (heldBytes <= MAX_INDENTED) continue;
      isHolding = false;
      for (const chunk of held.splice(0)) await writeOut(chunk);
      continue;
    }
    try {
      await writeOut(r.value);
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
  }
  if (held.length > 0) {
    const text = Buffer.concat(held).toString('utf8');
    await writeOut(Buffer.from(indentJson(text) ?? text, 'utf8'));
  }
}

/** saveHeads writes the -I heads to the -o file in place of a body. */
export function saveHeads(download: Download, heads: string[]): void {
  try {
    writeFileSync(download.path, heads.join(''), 'latin1');
  } catch (error) {
    throw new ExitError(23, `cannot write "${download.path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * saveBody writes the body to a file, appending to it after a 206 for -C, with a progress bar on
 * a terminal; the -i heads, if any, go first.
 */
export async function saveBody(response: ClientResponse, download: Download, isSilent: boolean, transfer: Transfer, heads: string[] = []): Promise<void> {
  let append = false;
  if (download.offset > 0) {
    if (response.status === 416) {
      await response.body.dump();
      process.stderr.write(`courier get: "${download.path}" is already complete\n`);
      return;
    }
    if (response.status === 206) {
      truncateSync(download.path, download.offset);
      append = true;
    } else {
      process.stderr.write('courier get: the server ignored the range: downloading from the start\n');
      download.offset = 0;
    }
  }
  // A deep buffer lets the next socket read overlap the file write instead of waiting on it.
  const cannotWrite = (e: Error): ExitError => new ExitError(23, `cannot write "${download.path}": ${(e as NodeJS.ErrnoException).code ?? e.message}`);
  // Opened synchronously: no wait between the head and the first read of the body, so bytes that
  // came before a failure are read before the failure is (they are kept: exit 18 keeps them).
  let fd: number;
  try {
    fd = openSync(download.path, append ? 'a' : 'w');
  } catch (error) {
    throw cannotWrite(error as Error);
  }
  const file = createWriteStream(download.path, { fd, highWaterMark: 4 * 1024 * 1024 });
  const failed = new Promise<never>((_, reject) => file.on('error', (e) => reject(cannotWrite(e))));
  failed.catch(() => {});
  if (heads.length > 0) await Promise.race([write(file, Buffer.from(heads.join(''), 'latin1')), failed]);
  const length = Number(response.headers.get('content-length') ?? -1);
  const bar = process.stderr.isTTY && !isSilent ? new ProgressBar(process.stderr, length >= 0 ? length + download.offset : -1, download.offset) : null;
  try {
    for await (const chunk of response.body) {
      transfer.downloadBytes += chunk.length;
      bar?.add(chunk.length);
      await Promise.race([write(file, chunk), failed]);
    }
  } finally {
    bar?.done();
    file.end();
  }
  await Promise.race([once(file, 'finish'), failed]);
}
