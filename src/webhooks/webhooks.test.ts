// Webhooks leave signed, carry call data verbatim, and a receiver that fails
// gets the same delivery again after a backoff.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApi, adminClient, type TestApi, type Client } from '../api/test-kit.js';
import { verifySignature, SIGNATURE_HEADER } from './signature.js';

interface Received { headers: http.IncomingHttpHeaders; body: string; at: number }

// A receiver that answers each request with the next status in `replies` (then 200).
function receiver(replies: number[]): Promise<{ url: string; got: Received[]; next(n: number, timeoutMs?: number): Promise<Received[]>; close(): void }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      got.push({ headers: req.headers, body, at: Date.now() });
      res.statusCode = replies.shift() ?? 200;
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    async next(n, timeoutMs = 5000) {
      const end = Date.now() + timeoutMs;
      while (got.length < n) {
        if (Date.now() > end) throw new Error(`expected ${n} requests, got ${got.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return got;
    },
    close: () => server.close(),
  })));
}

let t: TestApi;
let admin: Client;
test.before.each(async () => {
  t = await startTestApi({ webhooks: { backoffMs: [150, 150], pumpIntervalMs: 25 } });
  admin = await adminClient(t);
});
test.after.each(async () => { await t.stop(); });

test('a call event is POSTed with an HMAC-SHA256 signature the receiver verifies; caller ID verbatim', async () => {
  const rx = await receiver([]);
  const hook = await admin.ok('webhooks/webhook/create', { url: rx.url, events: ['call.ringing', 'call.ended'] });
  assert.match(hook.secret, /^whsec_/);
  assert.not.ok(JSON.stringify(await admin.ok('webhooks/webhook/list')).includes(hook.secret), 'the list hides the secret');
  const evil = '<img src=x onerror=alert(1)>';
  t.store.cdr.open({ journey: 'wh-1', direction: 'inbound', caller: evil, startedAt: new Date().toISOString() });
  t.store.journal.append('call', 'CallStarted', { journey: 'wh-1' });
  t.store.journal.append('call', 'CallRinging', { journey: 'wh-1', data: { chan: 1 } });
  const [r] = await rx.next(1);
  assert.ok(verifySignature(hook.secret, r!.headers[SIGNATURE_HEADER] as string, r!.body), `signature ${r!.headers[SIGNATURE_HEADER]}`);
  assert.not.ok(verifySignature('whsec_wrong', r!.headers[SIGNATURE_HEADER] as string, r!.body), 'another secret does not verify');
  assert.not.ok(verifySignature(hook.secret, r!.headers[SIGNATURE_HEADER] as string, r!.body.replace('wh-1', 'wh-2')), 'a changed body does not verify');
  assert.is(r!.headers['x-hotline-event'], 'call.ringing');
  const payload = JSON.parse(r!.body);
  assert.equal([payload.event, payload.journey, payload.call.caller, payload.data.chan], ['call.ringing', 'wh-1', evil, 1]);
  await new Promise((res) => setTimeout(res, 100));
  assert.is(rx.got.length, 1, 'CallStarted is no webhook event');
  rx.close();
});

test('a delivery answered with 500 is retried after the backoff and then delivered', async () => {
  const rx = await receiver([500]);
  const hook = await admin.ok('webhooks/webhook/create', { url: rx.url, events: ['*'] });
  t.store.journal.append('call', 'VoicemailLeft', { journey: 'wh-3', data: { box: '8000', durationMs: 4000 } });
  const [first, second] = await rx.next(2);
  assert.ok(second!.at - first!.at >= 140, `retried after ${second!.at - first!.at} ms`);
  assert.is(second!.body, first!.body, 'the same delivery again');
  assert.is(second!.headers['x-hotline-delivery'], first!.headers['x-hotline-delivery']);
  assert.ok(verifySignature(hook.secret, second!.headers[SIGNATURE_HEADER] as string, second!.body));
  await new Promise((res) => setTimeout(res, 50));
  const [d] = await admin.ok('webhooks/delivery/list', { webhookId: hook.id });
  assert.equal([d.event, d.status, d.attempts, d.lastStatus], ['voicemail.left', 'delivered', 2, 200]);
  rx.close();
});

test('a receiver that keeps failing gets the last attempt, then the delivery is marked failed', async () => {
  const rx = await receiver([500, 502, 503, 200]);
  const hook = await admin.ok('webhooks/webhook/create', { url: rx.url, events: ['call.answered'] });
  t.store.journal.append('call', 'CallAnswered', { journey: 'wh-4' });
  await rx.next(3);
  await new Promise((res) => setTimeout(res, 400));
  assert.is(rx.got.length, 3, 'three attempts, no more');
  const [d] = await admin.ok('webhooks/delivery/list', { webhookId: hook.id });
  assert.equal([d.status, d.attempts, d.lastError], ['failed', 3, 'HTTP 503']);
  rx.close();
});

test('webhook URLs are http(s) and events are known names', async () => {
  const r = await admin.call('webhooks/webhook/create', { url: 'file:///etc/passwd', events: ['call.exploded'] });
  assert.is(r.body.error.id, 'validation_failed');
  assert.equal(r.body.error.fields!.map((f) => f.path).sort(), ['events.0', 'url']);
});

test.run();
