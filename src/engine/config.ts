// Turns a board profile into the native engine's options.
import path from 'node:path';
import { loadProfiles, defaultProfilesDir } from '../boards/profiles.js';
import type { BoardProfile } from '../boards/profile.js';
import type { NativeEngineOptions } from '../native/addon.js';
import type { Inventory } from '../boards/detect.js';

export function simOptionsFromProfile(profile: BoardProfile, speed: number): NativeEngineOptions {
  const spans: NonNullable<NativeEngineOptions['spans']> = [];
  for (const [i, s] of profile.spans.entries()) {
    if (s.type === 'e1') { spans.push({ kind: s.signalling === 'r2' ? 'e1-r2' : 'e1', channels: 31, ...(s.ss7 ? { ss7: s.ss7 } : {}) }); continue; }
    const kinds = new Set(s.kinds);
    if (kinds.size !== 1) throw new Error(`profile ${profile.id}: span ${i + 1} mixes FXO and FXS ports; the sim board needs one kind per span`);
    spans.push({ kind: s.kinds[0] === 'FXO' ? 'fxo' : 'fxs', channels: s.ports });
  }
  return { driver: 'sim', spans, zone: profile.zone ?? 'cn', law: profile.law === 'mulaw' ? 'ulaw' : 'alaw', speed };
}

// The dahdi driver's channel list from what the kernel reports: every channel
// of every span we drive (FXO, FXS, E1 bearer, D-channel). An E1 timeslot that
// dahdi_cfg set up as CAS is MFC/R2 (its line signals are CAS bits); a clear
// one is a bearer whose signalling is the span's D-channel (SS7). Clear errors
// when DAHDI is not loaded or has no channels.
export function dahdiOptionsFromInventory(inv: Inventory, devroot = '/dev/dahdi', zone = 'cn'): NativeEngineOptions {
  if (!inv.dahdiLoaded) throw new Error(`DAHDI is not loaded: no ${path.join(inv.root, 'proc/dahdi')} or sysfs devices (load the card's driver module, then run dahdi_cfg)`);
  const errors = inv.problems.filter((p) => p.level === 'error');
  if (errors.length) throw new Error(`cannot read the DAHDI inventory: ${errors.map((p) => p.message).join('; ')}`);
  const channels: { channo: number; kind: string }[] = [];
  for (const span of inv.spans) {
    for (const c of span.channels) {
      const kind = c.kind === 'E1' && c.signalling === 'CAS' ? 'e1-r2' : ({ FXO: 'fxo', FXS: 'fxs', E1: 'e1', DCHAN: 'dchan' } as Record<string, string>)[c.kind];
      if (kind) channels.push({ channo: c.channo, kind });
    }
  }
  if (!channels.length) throw new Error(`DAHDI is loaded but reports no FXO, FXS or E1 channels (${inv.spans.length} spans): check the card's modules and dahdi_cfg`);
  // China and Europe run A-law; a µ-law site sets it in the board profile (sim) or system.conf.
  return { driver: 'dahdi', channels, devroot, zone, law: 'alaw' };
}

export function findProfile(id: string, dir = defaultProfilesDir()): BoardProfile {
  const all = loadProfiles(dir);
  const p = all.find((x) => x.id === id);
  if (!p) throw new Error(`no board profile "${id}" in ${path.resolve(dir)} (have: ${all.map((x) => x.id).join(', ')})`);
  return p;
}
