// The request body of `courier get`, from -d/--data-*, --json, -F and -T, with curl's rules;
// "-" in place of a file name is stdin.
import { Buffer } from 'node:buffer';
import { openAsBlob, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { RequestBody } from '../client/index.js';
import { ExitError } from './exit-error.js';
import { UsageError, type DataPart, type GetConfig } from './get-options.js';

/** BodyPlan is what the flags say to send: the body, its default headers and method. */
export interface BodyPlan {
  body: RequestBody | null;
  /** contentType is sent unless the user gave or removed Content-Type. */
  contentType: string | undefined;
  /** accept replaces the default Accept (--json asks for JSON). */
  accept: string | undefined;
  method: 'GET' | 'POST' | 'PUT';
  /** query is the -G data to append to the URL's query. */
  query: string | undefined;
  /** isStream tells that the body can be sent only once (stdin with -T -). */
  isStream: boolean;
  /** uploadName is the -T file's name, appended to a URL that ends with "/" (as curl does). */
  uploadName: string | undefined;
}

let stdinBytes: Buffer | null = null;

/** readStdin reads all of stdin once; later calls get the same bytes. */
async function readStdin(): Promise<Buffer> {
  if (stdinBytes !== null) return stdinBytes;
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  stdinBytes = Buffer.concat(parts);
  return stdinBytes;
}

/** readArgFile reads a file named on the command line, or stdin for "-". */
export async function readArgFile(path: string): Promise<Buffer> {
  return path === '-' ? readStdin() : readFileOr26(path);
}

/** readFileOr26 reads a file named on the command line, or ends with curl's exit 26 (read error). */
export function readFileOr26(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ExitError(26, `cannot read "${path}": ${typeof code === 'string' ? code : String(error)}`);
  }
}

/**
 * formEncode percent-encodes text as application/x-www-form-urlencoded does, as curl's
 * --data-urlencode: letters, digits and -._~ stay, space becomes +, the rest %XX.
 */
export function formEncode(bytes: Uint8Array | string): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let out = '';
  for (const b of buf) {
    const isUnreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
    if (isUnreserved) out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** dataPart turns one data flag into bytes with curl's meaning for each kind. */
async function dataPart(part: DataPart): Promise<Buffer> {
  const { kind, text } = part;
  if (kind === 'data-raw' || !(kind === 'data-urlencode' || text.startsWith('@'))) return Buffer.from(text, 'utf8');
  if (kind === 'data') {
    // curl -d @file drops carriage returns and newlines; --data-binary keeps every byte.
    const bytes = await readArgFile(text.slice(1));
    return Buffer.from(bytes.filter((b) => b !== 0x0d && b !== 0x0a));
  }
  if (kind === 'data-binary') return readArgFile(text.slice(1));
  // --data-urlencode: "content", "=content", "name=content", "@file", "name@file".
  const at = text.search(/[=@]/);
  if (at === -1) return Buffer.from(formEncode(text), 'latin1');
  const name = text.slice(0, at);
  const value = text[at] === '@' ? await readArgFile(text.slice(at + 1)) : text.slice(at + 1);
  // The name goes out as typed (UTF-8), only the content is encoded.
  return Buffer.concat([Buffer.from(name === '' ? '' : `${name}=`, 'utf8'), Buffer.from(formEncode(value), 'latin1')]);
}

function joinParts(parts: Buffer[]): Buffer {
  const joined: Buffer[] = [];
  parts.forEach((p, i) => joined.push(...(i === 0 ? [p] : [Buffer.from('&'), p])));
  return Buffer.concat(joined);
}

async function* stdinStream(): AsyncGenerator<Uint8Array> {
  for await (const chunk of process.stdin) yield chunk as Buffer;
}

/** planBody reads what the flags name and says what to send. */
export async function planBody(config: GetConfig): Promise<BodyPlan> {
  const plan: BodyPlan = { body: null, contentType: undefined, accept: undefined, method: 'GET', query: undefined, isStream: false, uploadName: undefined };
  if (config.data.length > 0) {
    const joined = joinParts(await Promise.all(config.data.map(dataPart)));
    if (config.isGet) {
      plan.query = joined.toString('latin1');
      return plan;
    }
    plan.body = joined;
    plan.contentType = 'application/x-www-form-urlencoded';
    plan.method = 'POST';
  } else if (config.json.length > 0) {
    const parts = await Promise.all(config.json.map((j) => (j.startsWith('@') ? readArgFile(j.slice(1)) : Buffer.from(j, 'utf8'))));
    plan.body = Buffer.concat(parts);
    plan.contentType = 'application/json';
    plan.accept = 'application/json';
    plan.method = 'POST';
  } else if (config.form.length > 0) {
    const form = new FormData();
    for (const field of config.form) {
      const eq = field.indexOf('=');
      if (eq <= 0) throw new UsageError(`Invalid --form "${field}": expected name=value, name=@file or name=<file`);
      const name = field.slice(0, eq);
      const value = field.slice(eq + 1);
      if (value.startsWith('@')) {
        const path = value.slice(1);
        form.append(name, new Blob([await readArgFile(path)]), path === '-' ? 'stdin' : basename(path));
      } else if (value.startsWith('<')) {
        form.append(name, (await readArgFile(value.slice(1))).toString('utf8'));
      } else {
        form.append(name, value);
      }
    }
    plan.body = form;
    plan.method = 'POST';
  } else if (config.uploadFile !== undefined) {
    const path = config.uploadFile;
    plan.method = 'PUT';
    if (path === '-') {
      plan.body = stdinStream();
      plan.isStream = true;
    } else {
      try {
        plan.body = await openAsBlob(path);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new ExitError(26, `cannot read "${path}": ${typeof code === 'string' ? code : String(error)}`);
      }
      plan.uploadName = basename(path);
    }
  }
  return plan;
}
