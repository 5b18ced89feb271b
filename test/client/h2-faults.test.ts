// The HTTP/2 client against servers that misbehave, written with courier's own frame serializer
// over raw sockets on 127.0.0.1: a malformed frame, GOAWAY before processing, silence.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import net from 'node:net';
import { after, test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { H2Connection, FrameParser, FrameType, serializeFrame, type Frame } from '../../src/h2/index.js';

const servers: net.Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** rawH2Server gives each connection's socket to `onConnection`, with its index, and the frames the client sent. */
async function rawH2Server(onConnection: (socket: net.Socket, index: number, frames: Frame[]) => void): Promise<string> {
  let index = 0;
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    const frames: Frame[] = [];
    const parser = new FrameParser({ onFrame: (frame) => frames.push({ ...frame }), onStreamError: () => {} }, { expectPreface: true });
    socket.on('data', (bytes: Buffer) => {
      try {
        parser.execute(bytes);
      } catch {
        socket.destroy();
      }
    });
    onConnection(socket, index++, frames);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** answerWith serves one connection with courier's H2Connection in the server role: 200 "ok" to everything. */
function answerWith(socket: net.Socket): void {
  socket.removeAllListeners('data');
  const connection: H2Connection = new H2Connection(
    {
      onSend: (bytes) => socket.write(bytes),
      onRequest: (id, _head, endStream) => {
        if (endStream) respond(id);
      },
      onData: (id, _data, endStream) => {
        if (endStream) respond(id);
      },
    },
    { role: 'server' },
  );
  const respond = (id: number): void => {
    connection.sendHeaders(id, [[':status', '200']], false);
    connection.sendData(id, Buffer.from('ok'), true);
  };
  socket.on('data', (bytes: Buffer) => connection.receive(bytes));
}

const settings = serializeFrame({ type: FrameType.SETTINGS, streamId: 0, ack: false, settings: [] });

function waitFor(frames: Frame[], type: number): Promise<Frame> {
  return new Promise((resolve) => {
    const check = (): void => {
      const found = frames.find((f) => f.type === type);
      if (found !== undefined) resolve(found);
      else setTimeout(check, 5);
    };
    check();
  });
}

test('a malformed frame fails the request with CLIENT_PROTOCOL (the H2Error as cause) and a GOAWAY, not a hang', async () => {
  let goaway: Promise<Frame> | null = null;
  const url = await rawH2Server((socket, _index, frames) => {
    socket.write(settings);
    // WINDOW_UPDATE with an increment of 0 on the connection: a connection error (RFC 9113 §6.9).
    socket.write(serializeFrame({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 1 }).fill(0, 9));
    goaway = waitFor(frames, FrameType.GOAWAY);
  });
  const agent = new Agent();
  const error = (await request(`${url}/`, { agent, httpVersion: '2' }).catch((e: unknown) => e)) as Error & { code: string; cause: { reason: string } };
  assert.equal(error.code, 'CLIENT_PROTOCOL');
  assert.equal(error.cause.reason, 'H2_ZERO_WINDOW_INCREMENT');
  assert.match(error.message, /HTTP\/2/);
  const frame = (await goaway) as unknown as Frame & { errorCode: number };
  assert.equal(frame.errorCode, 1); // PROTOCOL_ERROR
  await agent.close();
});

test('GOAWAY before processing: the requests above last-stream-id go again on a new connection', async () => {
  let connections = 0;
  const url = await rawH2Server((socket, index, frames) => {
    connections++;
    if (index > 0) {
      answerWith(socket);
      return;
    }
    socket.write(settings);
    void waitFor(frames, FrameType.HEADERS).then(() => {
      socket.end(serializeFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: 0, errorCode: 0, debugData: new Uint8Array(0) }));
    });
  });
  const agent = new Agent();
  const res = await request(`${url}/`, { agent, httpVersion: '2' });
  assert.equal(await res.body.text(), 'ok');
  const posted = await request(`${url}/`, { agent, httpVersion: '2', method: 'POST', body: 'data' });
  assert.equal(await posted.body.text(), 'ok');
  assert.equal(connections, 2);
  await agent.close();
});

test('headersTimeout resets the silent stream with CANCEL and fails with CLIENT_HEADERS_TIMEOUT', async () => {
  let reset: Promise<Frame> | null = null;
  const url = await rawH2Server((socket, _index, frames) => {
    socket.write(settings);
    reset = waitFor(frames, FrameType.RST_STREAM);
  });
  const agent = new Agent();
  await assert.rejects(request(`${url}/`, { agent, httpVersion: '2', headersTimeout: 100 }), { code: 'CLIENT_HEADERS_TIMEOUT' });
  const frame = (await reset) as unknown as Frame & { errorCode: number };
  assert.equal(frame.errorCode, 8); // CANCEL
  await agent.close();
});
