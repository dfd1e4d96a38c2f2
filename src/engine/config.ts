// Turns a board profile into the native engine's options.
import path from 'node:path';
import { loadProfiles, defaultProfilesDir } from '../boards/profiles.js';
import type { BoardProfile } from '../boards/profile.js';
import type { NativeEngineOptions } from '../native/addon.js';

export function simOptionsFromProfile(profile: BoardProfile, speed: number): NativeEngineOptions {
  const spans: NonNullable<NativeEngineOptions['spans']> = [];
  for (const [i, s] of profile.spans.entries()) {
    if (s.type === 'e1') { spans.push({ kind: 'e1', channels: 31 }); continue; }
    const kinds = new Set(s.kinds);
    if (kinds.size !== 1) throw new Error(`profile ${profile.id}: span ${i + 1} mixes FXO and FXS ports; the sim board needs one kind per span`);
    spans.push({ kind: s.kinds[0] === 'FXO' ? 'fxo' : 'fxs', channels: s.ports });
  }
  return { driver: 'sim', spans, zone: profile.zone ?? 'cn', law: profile.law === 'mulaw' ? 'ulaw' : 'alaw', speed };
}

export function findProfile(id: string, dir = defaultProfilesDir()): BoardProfile {
  const all = loadProfiles(dir);
  const p = all.find((x) => x.id === id);
  if (!p) throw new Error(`no board profile "${id}" in ${path.resolve(dir)} (have: ${all.map((x) => x.id).join(', ')})`);
  return p;
}
