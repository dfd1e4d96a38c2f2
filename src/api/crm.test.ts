// Customers through the API: CSV import all-or-nothing with row and field
// errors, export safe against formula injection, contact history from the
// CDRs by number, the screen pop, search and paging, and caller ID kept
// verbatim as JSON text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApi, adminClient, userClient, type TestApi, type Client } from './test-kit.js';

let t: TestApi;
let admin: Client;
let sup: Client;
let agent: Client;
test.before(async () => {
  t = await startTestApi();
  admin = await adminClient(t);
  sup = await userClient(t, admin, 'supervisor');
  agent = await userClient(t, admin, 'agent');
});
test.after(async () => { await t.stop(); });

const BAD_CSV = [
  'name,company,phones,tags,owner,note',
  'Wang Li,Acme,13912345678,vip,agent1,first',
  ',NoName Ltd,13800000000,,,',                 // row 3: no name
  'Zhao,Beta,call me maybe,,,',                 // row 4: bad number
  '"Qian',                                       // row 5: a name with a newline inside quotes is fine…
  'Sun",Gamma,02161234567,,ghost,',             // …but owner "ghost" does not exist
].join('\r\n');

test('an import with bad rows lists each row and field, and imports nothing', async () => {
  const p = await sup.ok('crm/import/preview', { csv: BAD_CSV });
  assert.is(p.total, 4);
  assert.is(p.valid, 1);
  assert.is(p.invalid, 3);
  const where = p.errors.map((e: { row: number; path: string }) => `${e.row}:${e.path}`).sort();
  assert.equal(where, ['3:name', '4:phones.0', '5:owner']);
  const r = await sup.call('crm/import/commit', { csv: BAD_CSV });
  assert.is(r.status, 400);
  assert.is(r.body.error.id, 'validation_failed');
  assert.equal(r.body.error.fields!.map((f) => f.row).sort(), [3, 4, 5]);
  assert.is((await sup.ok('crm/customer/list')).total, 0, 'nothing imported');
});

test('a good import writes every row with numbers, tags, owner and note', async () => {
  const csv = '\ufeff姓名,公司,电话,标签,负责人,备注\nWang Li,Acme,+86 139 1234 5678;021-6123 4567,vip;north,agent1,"prefers\nmornings"\nZhao Min,Beta Trading,18612345678,north,,\n\n';
  const res = await sup.ok('crm/import/commit', { csv });
  assert.is(res.imported, 2);
  const list = await agent.ok('crm/customer/list', { q: 'wang' });
  assert.is(list.total, 1);
  const wang = list.items[0];
  assert.equal(wang.phones.map((p: { norm: string }) => p.norm), ['13912345678', '02161234567']);
  assert.equal(wang.tags, ['north', 'vip']);
  assert.is(wang.owner.username, 'agent1');
  const history = await agent.ok('crm/customer/history', { id: wang.id });
  assert.is(history[0].note.body, 'prefers\nmornings');
  const audit = await admin.ok('audit/entry/list', { command: 'crm/import/commit' });
  assert.is(audit.items[0].summary, 'imported 2 customers from CSV');
});

test('search by number substring, filter by tag and owner, sort and page', async () => {
  assert.is((await agent.ok('crm/customer/list', { q: '6123' })).items[0].name, 'Wang Li');
  assert.is((await agent.ok('crm/customer/list', { q: 'Trading' })).items[0].name, 'Zhao Min');
  assert.is((await agent.ok('crm/customer/list', { tag: 'north' })).total, 2);
  assert.is((await agent.ok('crm/customer/list', { tag: 'vip' })).total, 1);
  const me = await agent.ok('auth/session/whoami');
  assert.is((await agent.ok('crm/customer/list', { ownerId: me.user.id })).items[0].name, 'Wang Li');
  const page = await agent.ok('crm/customer/list', { sort: 'name', order: 'desc', limit: 1, offset: 1 });
  assert.is(page.total, 2);
  assert.equal(page.items.map((c: { name: string }) => c.name), ['Wang Li']);
  assert.is((await agent.ok('crm/customer/list', { q: '100%_' })).total, 0, 'LIKE wildcards are literal');
});

test('contact history: every call from any of the numbers, with recordings, and every note', async () => {
  const wang = (await agent.ok('crm/customer/list', { q: 'wang' })).items[0];
  const s = t.store;
  s.cdr.open({ journey: 'h1', direction: 'inbound', caller: '13912345678', startedAt: '2026-01-05T02:00:00.000Z', disposition: 'answered' });
  s.cdr.open({ journey: 'h2', direction: 'inbound', caller: '008613912345678', startedAt: '2026-01-06T02:00:00.000Z' });
  s.cdr.open({ journey: 'h3', direction: 'outbound', caller: '801', callee: '02161234567', startedAt: '2026-01-07T02:00:00.000Z' });
  s.cdr.open({ journey: 'h4', direction: 'inbound', caller: '13800000000', startedAt: '2026-01-08T02:00:00.000Z' });
  s.cdr.update('h1', { recordings: [s.recordings.start({ journey: 'h1', path: '/data/rec/h1.wav', channel: 1, stereo: true })] });
  await agent.ok('crm/note/add', { customerId: wang.id, body: 'called back' });
  const h = await agent.ok('crm/customer/history', { id: wang.id });
  const calls = h.filter((x: { type: string }) => x.type === 'call');
  assert.equal(calls.map((x: { call: { journey: string } }) => x.call.journey), ['h3', 'h2', 'h1']);
  assert.equal(calls[2].recordings, [], 'an agent does not get the recordings of calls they did not take');
  assert.is(h.filter((x: { type: string }) => x.type === 'note').length, 2);
  const hs = (await sup.ok('crm/customer/history', { id: wang.id })).filter((x: { type: string }) => x.type === 'call');
  const rec = hs[2].recordings[0];
  assert.equal(hs[2].call.recordings, [rec.id], 'the CDR lists the recording by its public id');
  assert.is(rec.url, `/api/recordings/${rec.id}.wav`);
  assert.is(rec.path, undefined, 'no path on the box leaves the API');
});

test('screen pop: a known number gives the customer and history, an unknown one its region', async () => {
  const known = await agent.ok('crm/customer/lookup', { number: '+86 139 1234 5678' });
  assert.is(known.customer.name, 'Wang Li');
  assert.ok(known.history.length >= 3);
  assert.is(known.region.carrier, 'China Mobile');
  const unknown = await agent.ok('crm/customer/lookup', { number: '075586001234' });
  assert.is(unknown.customer, null);
  assert.equal([unknown.region.type, unknown.region.city, unknown.region.cityZh], ['fixed', 'Shenzhen', '深圳']);
  const mobile = await agent.ok('crm/customer/lookup', { number: '13800000000' });
  assert.is(mobile.customer, null);
  assert.is(mobile.history[0].call.journey, 'h4', 'an unknown caller still shows their past calls');
});

test('hostile caller ID is stored and returned verbatim, as JSON string data', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  t.store.cdr.open({ journey: 'evil-1', direction: 'inbound', caller: evil, callerName: '"><script>alert(2)</script>', startedAt: '2026-02-01T00:00:00.000Z' });
  const res = await fetch(`${t.api.url}/api/calls/cdr/get`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: sup.cookie! }, body: JSON.stringify({ journey: 'evil-1' }) });
  assert.match(res.headers.get('content-type')!, /^application\/json/);
  assert.is(res.headers.get('x-content-type-options'), 'nosniff');
  const body = await res.json() as { data: { cdr: { caller: string; callerName: string } } };
  assert.is(body.data.cdr.caller, evil);
  assert.is(body.data.cdr.callerName, '"><script>alert(2)</script>');
  const pop = await agent.ok('crm/customer/lookup', { number: evil });
  assert.equal([pop.number, pop.normalized, pop.customer, pop.region], [evil, null, null, null], 'echoed, never interpreted');
  const listed = await sup.ok('calls/cdr/list', { caller: evil });
  assert.is(listed[0].caller, evil);
});

test('export writes formula-looking cells as text', async () => {
  await agent.ok('crm/customer/create', { name: '=HYPERLINK("http://evil.example","click")', company: '@SUM(1+1)', address: '-2+3', tags: ['+cmd'] });
  const { csv, count } = await sup.ok('crm/export/csv', { q: 'HYPERLINK' });
  assert.is(count, 1);
  const line = csv.split('\r\n')[1];
  assert.is(line, '"\'=HYPERLINK(""http://evil.example"",""click"")",\'@SUM(1+1),\'-2+3,,\'+cmd,,' + line.split(',').pop());
  assert.not.match(csv, /(^|,)[=+\-@]/m);
  assert.is(csv[0], '\ufeff');
});

test('deleting a customer is for supervisors; their calls stay', async () => {
  const zhao = (await agent.ok('crm/customer/list', { q: 'Zhao' })).items[0];
  assert.is((await agent.call('crm/customer/delete', { id: zhao.id })).status, 403);
  await sup.ok('crm/customer/delete', { id: zhao.id });
  assert.is((await agent.call('crm/customer/get', { id: zhao.id })).body.error.id, 'not_found');
});

test.run();
