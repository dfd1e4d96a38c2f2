import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProfileError, validateProfile } from './profile.js';
import { defaultProfilesDir, loadProfiles, matchDeviceType, matchPci, profileById } from './profiles.js';

const profiles = loadProfiles();
const simDemo = () => JSON.parse(readFileSync(join(defaultProfilesDir(), 'sim-demo.json'), 'utf8')) as Record<string, unknown>;

function throwsProfileError(fn: () => unknown, ...needles: string[]): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ProfileError);
    for (const n of needles) assert.ok((e as Error).message.includes(n), `expected "${n}" in: ${(e as Error).message}`);
    return;
  }
  assert.unreachable('expected a ProfileError');
}

test('every shipped profile loads and validates', () => {
  const ids = profiles.map((p) => p.id).sort();
  assert.equal(ids, [
    'digium-aex2400', 'digium-aex410', 'digium-aex800', 'digium-tdm2400', 'digium-tdm410', 'digium-tdm800',
    'digium-te110p', 'digium-te122', 'digium-te220', 'digium-te420', 'openvox-a1200', 'openvox-a400p',
    'openvox-d115', 'openvox-d130', 'sim-bench', 'sim-demo', 'sim-ss7',
  ]);
});

test('sim-demo lays out 4 FXO, 8 FXS, an E1 signalled by MFC/R2 and an E1 signalled by China SS7 (its link on timeslot 16)', () => {
  const p = profileById(profiles, 'sim-demo');
  assert.equal(p.spans, [
    { type: 'analog', ports: 4, kinds: ['FXO', 'FXO', 'FXO', 'FXO'] },
    { type: 'analog', ports: 8, kinds: ['FXS', 'FXS', 'FXS', 'FXS', 'FXS', 'FXS', 'FXS', 'FXS'] },
    { type: 'e1', timeslots: 31, dchan: 16, signalling: 'r2' },
    { type: 'e1', timeslots: 31, dchan: 16, ss7: { far: 'own', variant: 'china', boxPc: 0x0a141e, farPc: 0x0a141f, ni: 2, cicFirst: 1, answerMs: 2000 } },
  ]);
  assert.is(p.law, 'alaw');
  assert.is(p.zone, 'cn');
  assert.is(p.driver, null);
});

test('PCI matching prefers the most specific dahdi-tools key', () => {
  const m = (vendor: string, device: string, subvendor = '0000', subdevice = '0000') =>
    matchPci(profiles, { vendor, device, subvendor, subdevice })?.profile.id;
  assert.is(m('0xd161', '0x8005', '0xd161', '0x8005'), 'digium-tdm410');
  assert.is(m('d161', '8001'), 'digium-te122');
  assert.is(m('d161', '0220', '0004', '0001'), 'digium-te220');
  assert.is(m('d161', '1420', '0005'), 'digium-te420');
  assert.is(m('e159', '0001', '71fe', '0001'), 'digium-te110p');
  assert.is(m('e159', '0001', 'b1d9', '0003'), 'openvox-a400p');
  assert.is(m('e159', '0001', '9500', '0003'), 'openvox-a1200');
  assert.is(m('1b74', 'd130', '1b74', '0001'), 'openvox-d130');
  assert.is(m('e159', '0001', '1234', '0001'), undefined, 'a Tiger Jet chip with a foreign subsystem is not ours');
  assert.is(m('8086', 'a3a3'), undefined);
});

test('sysfs device type identifies a card without PCI ids', () => {
  assert.is(matchDeviceType(profiles, 'Wildcard TE122\n')?.id, 'digium-te122');
  assert.is(matchDeviceType(profiles, 'Dynamic span'), undefined);
});

test('boards outside bookworm say so', () => {
  assert.is(profileById(profiles, 'openvox-d115').inBookworm, false);
  assert.is(profileById(profiles, 'digium-te420').inBookworm, true);
});

test('validation errors name the file and every bad field', () => {
  const bad = { ...simDemo(), id: 'Sim Demo', spans: [{ type: 'analog', ports: 4, kinds: ['FXO'] }], extra: 1 };
  throwsProfileError(() => validateProfile(bad, 'board-profiles/x.json'),
    'board-profiles/x.json', 'id: must be kebab-case', 'spans[0].kinds: kinds must list exactly one kind per port', 'Unrecognized key');
  throwsProfileError(() => validateProfile({ ...simDemo(), pci: [{ vendor: 'D161', device: '8005', description: 'x' }] }, 'p.json'),
    'pci[0].vendor: must be 4 lowercase hex digits');
  throwsProfileError(() => validateProfile({ ...simDemo(), spans: [{ type: 'e1', timeslots: 30 }] }, 'p.json'), 'spans[0]');
  throwsProfileError(() => validateProfile(simDemo(), 'board-profiles/other-name.json'),
    'id: "sim-demo" does not match the file name other-name.json');
  throwsProfileError(() => validateProfile({ ...simDemo(), family: 'e1', driver: 'wct4xxp' }, 'p.json'),
    'spans[0].type: a e1 board has only e1 spans', 'a real board needs PCI ids');
});

test('a directory with duplicate PCI ids or bad JSON fails naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hl-profiles-'));
  try {
    const tdm = JSON.parse(readFileSync(join(defaultProfilesDir(), 'digium-tdm410.json'), 'utf8'));
    writeFileSync(join(dir, 'digium-tdm410.json'), JSON.stringify(tdm));
    writeFileSync(join(dir, 'zz-clone.json'), JSON.stringify({ ...tdm, id: 'zz-clone' }));
    throwsProfileError(() => loadProfiles(dir), 'zz-clone.json', 'd161:8005 is already claimed by digium-tdm410');
    writeFileSync(join(dir, 'zz-clone.json'), '{ "schema": 1,');
    throwsProfileError(() => loadProfiles(dir), 'zz-clone.json', 'not valid JSON');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
