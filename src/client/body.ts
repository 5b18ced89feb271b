import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { BodyUsedError, InvalidArgumentError } from './errors.js';
import type { PreparedBody } from './types.js';

/**
 * RequestBody is what a request may send: text (UTF-8), bytes, a Blob, form fields
 * (URLSearchParams), multipart FormData, or a stream / async iterable of bytes or strings.
 */
export type RequestBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | URLSearchParams
  | FormData
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array>
  | null;

function bytesBody(bytes: Uint8Array, contentType: string | null): PreparedBody {
  return { length: bytes.length, contentType, bytes, stream: null, isReplayable: true };
}

/** prepareJson serializes a value as a JSON body. */
export function prepareJson(value: unknown): PreparedBody {
  const text = JSON.stringify(value);
  if (text === undefined) throw new InvalidArgumentError('Invalid json body: value cannot be serialized');
  return bytesBody(Buffer.from(text, 'utf8'), 'application/json');
}

/**
 * prepareBody turns a body into bytes or a byte stream with its length (-1 when unknown) and the
 * Content-Type it implies. Streams can be sent once; everything else can be replayed.
 */
export function prepareBody(body: RequestBody | undefined): PreparedBody | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return bytesBody(Buffer.from(body, 'utf8'), 'text/plain;charset=UTF-8');
  if (body instanceof Uint8Array) return bytesBody(body, null);
  if (body instanceof ArrayBuffer) return bytesBody(new Uint8Array(body), null);
  if (body instanceof URLSearchParams) {
    return bytesBody(Buffer.from(body.toString(), 'utf8'), 'application/x-www-form-urlencoded;charset=UTF-8');
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) return prepareMultipart(body);
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    const blob = body;
    return {
      length: blob.size,
      contentType: blob.type === '' ? null : blob.type,
      bytes: null,
      stream: () => blobChunks(blob),
      isReplayable: true,
    };
  }
  if (typeof body === 'object' && (Symbol.asyncIterator in body || Symbol.iterator in body)) {
    const source = body as AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
    let isUsed = false;
    return {
      length: -1,
      contentType: null,
      bytes: null,
      stream: () => {
        if (isUsed) throw new BodyUsedError('Request body stream already sent: it cannot be replayed');
        isUsed = true;
        return toAsync(source);
      },
      isReplayable: false,
    };
  }
  throw new InvalidArgumentError(`Invalid request body: unsupported type "${typeof body}"`);
}

async function* toAsync(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
}

async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const step = 256 * 1024;
  for (let at = 0; at < blob.size; at += step) {
    yield new Uint8Array(await blob.slice(at, at + step).arrayBuffer());
  }
}

// HTML's multipart/form-data encoding escapes ", CR and LF in names and filenames.
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * prepareMultipart encodes FormData as multipart/form-data (RFC 7578) with a random boundary. The
 * length is known up front, so it goes out with Content-Length, streamed part by part.
 */
export function prepareMultipart(form: FormData): PreparedBody {
  const boundary = `----courier${randomBytes(12).toString('hex')}`;
  const parts: Array<Buffer | Blob> = [];
  let length = 0;
  const add = (part: Buffer | Blob): void => {
    parts.push(part);
    length += Buffer.isBuffer(part) ? part.length : (part as Blob).size;
  };
  for (const [name, value] of form) {
    if (typeof value === 'string') {
      add(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`, 'utf8'));
      continue;
    }
    const file = value as Blob & { name?: string };
    const filename = typeof file.name === 'string' ? file.name : 'blob';
    const type = file.type === '' ? 'application/octet-stream' : file.type;
    add(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"; filename="${escapeName(filename)}"\r\nContent-Type: ${type}\r\n\r\n`,
        'utf8',
      ),
    );
    add(file);
    add(Buffer.from('\r\n', 'latin1'));
  }
  add(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return {
    length,
    contentType: `multipart/form-data; boundary=${boundary}`,
    bytes: null,
    stream: async function* () {
      for (const part of parts) {
        if (Buffer.isBuffer(part)) yield part;
        else yield* blobChunks(part as Blob);
      }
    },
    isReplayable: true,
  };
}
