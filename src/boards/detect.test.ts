import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { detectBoards, type Inventory } from './detect.js';
import { loadProfiles } from './profiles.js';

const profiles = loadProfiles();
const fixtures = fileURLToPath(new URL('../../../test/fixtures/dahdi/', import.meta.url));
const detect = (c: string): Inventory => detectBoards({ root: fixtures + c, profiles });
const kinds = (inv: Inventory, span: number) =>
  inv.spans.find((s) => s.span === span)?.channels.map((c) => `${c.channo}:${c.kind}`).join(' ');
const messages = (inv: Inventory, level: 'error' | 'warning') =>
  inv.problems.filter((p) => p.level === level).map((p) => p.message.replace(fixtures, ''));

test('TDM410P: FXOKS channels are our FXS ports, FXSKS our FXO ports', () => {
  const inv = detect('tdm410');
  assert.ok(inv.dahdiLoaded);
  assert.is(inv.devices.length, 1, 'the Intel chipset is not a telephony card');
  const d = inv.devices[0]!;
  assert.is(d.id, 'pci:0000:03:00.0');
  assert.is(d.profile?.id, 'digium-tdm410');
  assert.equal(d.pci, { slot: '0000:03:00.0', vendor: 'd161', device: '8005', subvendor: 'd161', subdevice: '8005' });
  assert.equal(d.dahdi, { manufacturer: 'Digium', type: 'Wildcard TDM410P', spanCount: 1, hardwareId: '', location: 'PCI Bus 03 Slot 01' });
  assert.equal(d.spans, [1]);
  const s = inv.spans[0]!;
  assert.equal([s.span, s.type, s.name, s.description, s.master, s.deviceId], [1, 'analog', 'WCTDM/0', 'Wildcard TDM410P', true, d.id]);
  assert.is(kinds(inv, 1), '1:FXS 2:FXS 3:FXO 4:FXO');
  assert.equal(s.channels[2], {
    channo: 3, chanpos: 3, name: 'WCTDM/0/2', kind: 'FXO', signalling: 'FXSKS', inUse: true, alarms: [], echoCanceller: 'OSLEC',
  });
  assert.equal(inv.problems, []);
});

test('TE122: E1 span with D-channel, line config, alarms and the on-card canceller', () => {
  const inv = detect('te122');
  const s = inv.spans[0]!;
  assert.is(s.type, 'e1');
  assert.equal(s.lineConfig, ['HDB3', 'CCS', 'CRC4']);
  assert.equal(s.alarms, ['RED']);
  assert.is(s.channels.length, 31);
  assert.is(s.channels[15]?.kind, 'DCHAN');
  assert.is(s.channels[15]?.signalling, 'HDLCFCS');
  assert.ok(s.channels.filter((c) => c.chanpos !== 16).every((c) => c.kind === 'E1' && c.echoCanceller === 'VPMADT032'));
  assert.equal(s.channels[0]?.alarms, ['RED']);
  assert.is(inv.devices[0]?.dahdi?.hardwareId, '1TE122F-0123');
  assert.equal(inv.problems, []);
});

test('fresh box before dahdi_cfg: analog kinds come from sysfs sigcap, E1 span from the profile', () => {
  const inv = detect('both');
  assert.equal(inv.devices.map((d) => [d.id, d.profile?.id, d.spans]), [
    ['pci:0000:03:00.0', 'digium-tdm410', [1]],
    ['pci:0000:04:00.0', 'digium-te122', [2]],
  ]);
  assert.is(kinds(inv, 1), '1:FXS 2:FXS 3:FXO 4:FXO');
  const e1 = inv.spans[1]!;
  assert.equal([e1.type, e1.channels.length, e1.channels[0]?.channo, e1.channels[30]?.channo], ['e1', 31, 5, 35]);
  assert.ok(e1.channels.every((c) => c.kind === 'E1' && c.signalling === null));
  assert.equal(inv.problems, []);
});

test('box without DAHDI: empty inventory and one warning', () => {
  const inv = detect('empty');
  assert.is(inv.dahdiLoaded, false);
  assert.equal(inv.devices, []);
  assert.equal(inv.spans, []);
  assert.equal(messages(inv, 'warning'), [
    'empty/proc/dahdi: DAHDI is not loaded (no /proc/dahdi or dahdi_devices) and no supported card was found on the PCI bus',
  ]);
});

test('a root that does not exist reads as a box without DAHDI', () => {
  const inv = detectBoards({ root: fixtures + 'no-such-case', profiles });
  assert.is(inv.dahdiLoaded, false);
  assert.equal(inv.devices, []);
  assert.is(inv.problems.length, 1);
});

test('corrupt /proc: bad files become errors and warnings with file:line, good parts survive', () => {
  const inv = detect('corrupt-proc');
  assert.equal(messages(inv, 'error'), [
    'corrupt-proc/proc/dahdi/1:1: not a DAHDI span header (expected \'Span N: NAME "desc"\'), got "Spam 1 WCTDM/0 \\u0001\\u0002 garbage"',
  ]);
  assert.equal(messages(inv, 'warning'), [
    'corrupt-proc/sys/bus/dahdi_devices/devices/pci:0000:03:00.0/span_count: not a number: "one"',
    'corrupt-proc/sys/bus/dahdi_devices/devices/pci:0000:03:00.0/location: cannot read: ENOENT',
    'corrupt-proc/proc/dahdi/2:4: unreadable channel line "\\t   x?? broken line"',
    'corrupt-proc/proc/dahdi/2:5: unknown channel field "BOGUS"',
    'corrupt-proc/proc/dahdi: span(s) 2 belong to no known device',
  ]);
  assert.equal(inv.spans.map((s) => s.span), [2]);
  assert.is(kinds(inv, 2), '5:FXS 6:FXO');
  assert.is(inv.devices[0]?.dahdi?.spanCount, null);
});

test('a known card without its driver is reported, with the bookworm caveat', () => {
  const inv = detect('pci-only-d130');
  assert.equal(inv.devices.map((d) => [d.id, d.profile?.id, d.dahdi]), [['pci:0000:05:00.0', 'openvox-d130', null]]);
  const w = messages(inv, 'warning');
  assert.ok(w.some((m) => m.includes('OpenVox D130P/D130E found but DAHDI has no device for it') && m.includes('opvxd115')), w.join('\n'));
  assert.ok(w.some((m) => m.includes("bookworm's dahdi-dkms does not ship")), w.join('\n'));
});

test.run();
