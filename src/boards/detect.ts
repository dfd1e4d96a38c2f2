/**
 * Board auto-detect: what DAHDI and the PCI bus say is in this box, matched
 * against the board profiles. Everything is read under a root prefix (as
 * dahdi-tools honours DAHDI_VIRT_TOP) so fixture trees captured from real
 * boxes replay in tests. A bad or partial tree yields problems, never a throw.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BoardProfile } from './profile.js';
import { matchDeviceType, matchPci } from './profiles.js';
import { kindOfSigcap, kindOfSignalling, parseProcSpan, type DetectedKind, type ProcProblem } from './proc-dahdi.js';

export type { DetectedKind } from './proc-dahdi.js';
export type DetectProblem = ProcProblem;

export interface DetectedChannel {
  channo: number;
  chanpos: number;
  name: string;
  /** FXO/FXS/E1/DCHAN; 'none' for an empty module slot or a port we don't drive;
   * 'unknown' when neither /proc nor sysfs tells. */
  kind: DetectedKind;
  signalling: string | null;
  inUse: boolean;
  alarms: string[];
  /** Echo canceller DAHDI has attached (hardware "VPMADT032" or software "OSLEC"). */
  echoCanceller: string | null;
}

export interface DetectedSpan {
  span: number;
  name: string;
  description: string;
  type: 'analog' | 'e1' | 'unknown';
  master: boolean;
  lineConfig: string[];
  alarms: string[];
  deviceId: string | null;
  /** The card has a canceller on board for certain (profile says non-optional). */
  hardwareEc: boolean;
  channels: DetectedChannel[];
}

export interface PciInfo {
  slot: string;
  vendor: string;
  device: string;
  subvendor: string;
  subdevice: string;
}

export interface DetectedDevice {
  /** DAHDI's device name ("pci:0000:03:00.0"), or "pci:<slot>" for a card DAHDI has not registered. */
  id: string;
  pci: PciInfo | null;
  /** From /sys/bus/dahdi_devices; null when DAHDI has no device for this card. */
  dahdi: { manufacturer: string; type: string; spanCount: number | null; hardwareId: string; location: string } | null;
  profile: BoardProfile | null;
  /** The profile's description of the matched PCI id. */
  model: string | null;
  spans: number[];
}

export interface Inventory {
  root: string;
  dahdiLoaded: boolean;
  devices: DetectedDevice[];
  spans: DetectedSpan[];
  problems: DetectProblem[];
}

export interface DetectOptions {
  root?: string;
  profiles: readonly BoardProfile[];
}

/** Tree reader that turns every fs failure into a problem. */
class Tree {
  readonly problems: DetectProblem[] = [];
  constructor(readonly root: string) {}
  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }
  isDir(p: string): boolean {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  }
  list(p: string): string[] {
    try {
      return readdirSync(p).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(p, `cannot list: ${(e as Error).message}`);
      return [];
    }
  }
  /** First line of a sysfs attribute; undefined (and a warning unless optional) when unreadable. */
  attr(p: string, optional = false): string | undefined {
    try {
      return readFileSync(p, 'utf8').split('\n')[0]?.trim();
    } catch (e) {
      if (!optional) this.warn(p, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return undefined;
    }
  }
  text(p: string): string | undefined {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      this.error(p, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return undefined;
    }
  }
  warn(path: string, msg: string): void {
    this.problems.push({ level: 'warning', path, message: `${path}: ${msg}` });
  }
  error(path: string, msg: string): void {
    this.problems.push({ level: 'error', path, message: `${path}: ${msg}` });
  }
}

export function detectBoards(opts: DetectOptions): Inventory {
  const t = new Tree(opts.root ?? '/');
  const procDir = t.path('proc/dahdi');
  const devDir = t.path('sys/bus/dahdi_devices/devices');
  const dahdiLoaded = t.isDir(procDir) || t.isDir(devDir);

  const devices = readDahdiDevices(t, devDir, opts.profiles);
  addUnregisteredPciCards(t, devices, opts.profiles, dahdiLoaded);
  const spans = readProcSpans(t, procDir);
  linkSpans(t, devices, spans);
  for (const s of spans) classifySpan(t, s, devices);

  if (!dahdiLoaded) {
    const hint = devices.length ? '' : ' and no supported card was found on the PCI bus';
    t.warn(procDir, `DAHDI is not loaded (no /proc/dahdi or dahdi_devices)${hint}`);
  }
  for (const d of devices)
    if (d.profile && !d.profile.inBookworm)
      t.warn(d.pci ? t.path('sys/bus/pci/devices', d.pci.slot) : d.id, `${d.profile.name} needs driver ${d.profile.driver}, which Debian bookworm's dahdi-dkms does not ship`);

  return { root: t.root, dahdiLoaded, devices, spans, problems: t.problems };
}

function readPci(t: Tree, slot: string): PciInfo | null {
  const dir = t.path('sys/bus/pci/devices', slot);
  const vendor = t.attr(join(dir, 'vendor'), true);
  const device = t.attr(join(dir, 'device'), true);
  if (!vendor || !device) return null;
  const strip = (s: string | undefined) => (s ?? '').toLowerCase().replace(/^0x/, '');
  return {
    slot,
    vendor: strip(vendor),
    device: strip(device),
    subvendor: strip(t.attr(join(dir, 'subsystem_vendor'), true)),
    subdevice: strip(t.attr(join(dir, 'subsystem_device'), true)),
  };
}

function readDahdiDevices(t: Tree, devDir: string, profiles: readonly BoardProfile[]): DetectedDevice[] {
  const out: DetectedDevice[] = [];
  for (const id of t.list(devDir)) {
    const dir = join(devDir, id);
    const count = t.attr(join(dir, 'span_count'));
    const spanCount = count !== undefined && /^\d+$/.test(count) ? Number(count) : null;
    if (count !== undefined && spanCount === null) t.warn(join(dir, 'span_count'), `not a number: ${JSON.stringify(count)}`);
    const dahdi = {
      manufacturer: t.attr(join(dir, 'manufacturer')) ?? '',
      type: t.attr(join(dir, 'type')) ?? '',
      spanCount,
      hardwareId: t.attr(join(dir, 'hardware_id'), true) ?? '',
      location: t.attr(join(dir, 'location')) ?? '',
    };
    const pci = id.startsWith('pci:') ? readPci(t, id.slice(4)) : null;
    if (id.startsWith('pci:') && !pci) t.warn(dir, `no readable PCI ids under sys/bus/pci/devices/${id.slice(4)}`);
    const m = pci ? matchPci(profiles, pci) : undefined;
    const profile = m?.profile ?? (dahdi.type ? matchDeviceType(profiles, dahdi.type) : undefined) ?? null;
    const spans = t
      .list(dir)
      .map((n) => /^span-(\d+)$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    if (!profile) t.warn(dir, `no board profile matches ${dahdi.manufacturer} ${dahdi.type}${pci ? ` (${pci.vendor}:${pci.device}/${pci.subvendor}:${pci.subdevice})` : ''}`);
    out.push({ id, pci, dahdi, profile, model: m?.id.description ?? (profile ? profile.name : null), spans });
  }
  return out;
}

/** Cards on the PCI bus that a profile knows but DAHDI has not registered:
 * usually the driver is not loaded or not installed. */
function addUnregisteredPciCards(t: Tree, devices: DetectedDevice[], profiles: readonly BoardProfile[], dahdiLoaded: boolean): void {
  const seen = new Set(devices.map((d) => d.pci?.slot).filter(Boolean));
  for (const slot of t.list(t.path('sys/bus/pci/devices'))) {
    if (seen.has(slot)) continue;
    const pci = readPci(t, slot);
    if (!pci) continue;
    const m = matchPci(profiles, pci);
    if (!m) continue;
    devices.push({ id: `pci:${slot}`, pci, dahdi: null, profile: m.profile, model: m.id.description, spans: [] });
    t.warn(
      t.path('sys/bus/pci/devices', slot),
      `${m.id.description} found but DAHDI has no device for it${dahdiLoaded ? '' : ' (DAHDI not loaded)'}: is module ${m.profile.driver} loaded?`,
    );
  }
}

function readProcSpans(t: Tree, procDir: string): DetectedSpan[] {
  const spans: DetectedSpan[] = [];
  for (const f of t.list(procDir)) {
    if (!/^\d+$/.test(f)) continue;
    const path = join(procDir, f);
    const text = t.text(path);
    if (text === undefined) continue;
    const { span, problems } = parseProcSpan(text, path);
    t.problems.push(...problems);
    if (!span) continue;
    if (span.span !== Number(f)) t.warn(path, `header says span ${span.span}, file name says ${f}; using ${span.span}`);
    spans.push({
      span: span.span,
      name: span.name,
      description: span.description,
      type: 'unknown',
      master: span.master,
      lineConfig: span.lineConfig,
      alarms: span.alarms,
      deviceId: null,
      hardwareEc: false,
      channels: span.channels.map((c) => ({
        channo: c.channo,
        chanpos: c.chanpos,
        name: c.name,
        kind: c.reserved ? 'none' : kindOfSignalling(c.signalling),
        signalling: c.signalling,
        inUse: c.inUse,
        alarms: c.alarms,
        echoCanceller: c.echoCanceller,
      })),
    });
  }
  return spans.sort((a, b) => a.span - b.span);
}

/** Spans belong to the device whose sysfs directory holds span-N. Older trees
 * without those links get spans handed out in order by span_count. */
function linkSpans(t: Tree, devices: DetectedDevice[], spans: DetectedSpan[]): void {
  const byNum = new Map(spans.map((s) => [s.span, s]));
  for (const d of devices)
    for (const n of d.spans) {
      const s = byNum.get(n);
      if (s) s.deviceId = d.id;
      else t.warn(d.id, `device lists span ${n} but /proc/dahdi/${n} is missing`);
    }
  const free = spans.filter((s) => s.deviceId === null);
  const unlinked = devices.filter((d) => d.dahdi && d.spans.length === 0);
  if (free.length === 0 || unlinked.length === 0) return;
  for (const d of unlinked) {
    const take = free.splice(0, d.dahdi?.spanCount ?? 0);
    for (const s of take) {
      s.deviceId = d.id;
      d.spans.push(s.span);
    }
  }
  if (free.length) t.warn(t.path('proc/dahdi'), `span(s) ${free.map((s) => s.span).join(',')} belong to no known device`);
}

function classifySpan(t: Tree, s: DetectedSpan, devices: DetectedDevice[]): void {
  const dev = devices.find((d) => d.id === s.deviceId);
  const layout = dev?.profile?.spans[dev.spans.indexOf(s.span)];
  const kinds = new Set(s.channels.map((c) => c.kind));
  if (kinds.has('FXO') || kinds.has('FXS')) s.type = 'analog';
  else if (kinds.has('E1') || s.lineConfig.includes('HDB3') || s.lineConfig.includes('CCS')) s.type = 'e1';
  else if (layout) s.type = layout.type;
  else if (s.channels.length === 31) s.type = 'e1';

  const ec = dev?.profile?.echoCanceller;
  s.hardwareEc = ec?.type === 'hardware' && !ec.optional;

  for (const c of s.channels) {
    if (c.kind !== 'unknown') continue;
    // Before dahdi_cfg a channel has no signalling; what it *could* do tells
    // which module is plugged in (wctdm24xxp sets sigcap per module type).
    const pos = String(c.chanpos).padStart(3, '0');
    const sigcap = t.attr(t.path('sys/bus/dahdi_channels/devices', `dahdi!chan!${String(s.span).padStart(3, '0')}!${pos}`, 'sigcap'), true);
    if (sigcap !== undefined) c.kind = kindOfSigcap(sigcap);
    if (c.kind === 'unknown' && s.type === 'e1') c.kind = 'E1';
    if (c.kind === 'unknown' && layout?.type === 'analog' && layout.kinds !== 'modular') c.kind = layout.kinds[c.chanpos - 1] ?? 'unknown';
    if (c.kind === 'unknown') t.warn(t.path('proc/dahdi', String(s.span)), `channel ${c.channo} (${c.name}): kind unknown (not configured, no sigcap)`);
  }
  if (dev?.profile && layout && layout.type === 'analog' && s.channels.length !== layout.ports)
    t.warn(t.path('proc/dahdi', String(s.span)), `${dev.profile.name} has ${layout.ports} ports but span ${s.span} lists ${s.channels.length} channels`);
}
