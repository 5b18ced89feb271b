import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LightResponse, installLightResponse, realResponsesBuilt } from '../../src/server/light-response.js';
import { serve } from '../../src/server/index.js';
import { connect, get } from './harness.js';

test('LightResponse behaves as a Response when looked at closely', async () => {
  const res = new LightResponse('héllo', { status: 201, headers: { 'x-a': '1' } }) as unknown as Response;
  assert.ok(res instanceof Response);
  assert.equal(res.status, 201);
  assert.equal(res.ok, true);
  assert.equal(res.statusText, '');
  assert.equal(res.headers.get('x-a'), '1');
  assert.equal(res.headers.get('content-type'), 'text/plain;charset=UTF-8');
  assert.equal(await res.text(), 'héllo');
  assert.equal(res.bodyUsed, true);
  assert.throws(() => new LightResponse('x', { status: 99 }), RangeError);
  const json = (LightResponse as unknown as typeof Response).json({ a: 1 });
  assert.ok(json instanceof (LightResponse as unknown as typeof Response));
  assert.deepEqual(await json.json(), { a: 1 });
});

test('serve() sends what a LightResponse records, without building the real one', { timeout: 10_000 }, async () => {
  installLightResponse();
  const server = await serve({
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      if (path === '/bytes') return new Response(new Uint8Array([104, 105]), { headers: new Headers({ 'x-h': 'headers' }) });
      if (path === '/pairs') return new Response('p', { status: 202, headers: [['x-p', '1'], ['content-type', 'text/x-p']] });
      if (path === '/stream') return new Response(new Blob(['blob']).stream());
      if (path === '/json') return Response.json({ ok: true });
      if (path === '/not-a-response') return { status: 200 } as unknown as Response;
      return new Response(null, { status: 204 });
    },
    onError: () => {},
  });
  const client = await connect(server);
  const before = realResponsesBuilt();
  client.write(get('/bytes') + get('/pairs') + get('/not-a-response') + get('/none') + get('/json'));
  const light = await client.replyCount(5);
  assert.equal(realResponsesBuilt(), before, 'no real Response was built for bytes, pairs, null and json');
  client.write(get('/stream'));
  const all = await client.replyCount(6);
  assert.equal(realResponsesBuilt(), before + 1, 'a stream body needs the real Response, and the count shows it');
  const replies = [light[0], light[1], all[5], light[2], light[3], light[4]];
  assert.equal(replies[0]?.body.toString(), 'hi');
  assert.equal(replies[0]?.head.headers.get('x-h'), 'headers');
  assert.equal(replies[0]?.head.headers.get('content-type'), undefined);
  assert.equal(replies[1]?.head.statusCode, 202);
  assert.equal(replies[1]?.head.headers.get('content-type'), 'text/x-p');
  assert.deepEqual(replies[1]?.head.headers.names.slice(0, 2), ['X-P', 'Content-Type'], 'one case style in the head');
  assert.equal(replies[2]?.body.toString(), 'blob');
  assert.equal(replies[3]?.head.statusCode, 500);
  assert.equal(replies[4]?.head.statusCode, 204);
  assert.equal(replies[5]?.body.toString(), '{"ok":true}');
  assert.ok((await fetch(server.url)) instanceof Response, 'a native Response is still an instanceof the global');
  client.destroy();
  await server.close();
});
