/**
 * Loading board profiles from `board-profiles/*.json` and finding the one that
 * matches a PCI device, with dahdi-tools' precedence: the most specific key
 * wins (vendor:device/subvendor:subdevice, then /subvendor, then vendor:device).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProfileError, validateProfile, type BoardProfile, type PciId } from './profile.js';

/** The repository's `board-profiles/`, found by walking up from this module so
 * it works from `src/` and from `dist/src/` alike. */
export function defaultProfilesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const cand = join(dir, 'board-profiles');
    if (existsSync(cand)) return cand;
    const up = dirname(dir);
    if (up === dir) throw new Error('board-profiles/ not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Reads and validates every profile in `dir`. One bad file fails the load
 * with an error naming it; ids and PCI keys must be unique across files. */
export function loadProfiles(dir: string = defaultProfilesDir()): BoardProfile[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const profiles: BoardProfile[] = [];
  const byKey = new Map<string, string>();
  for (const f of files) {
    const path = resolve(dir, f);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ProfileError(path, [`not valid JSON: ${(e as Error).message}`]);
    }
    const p = validateProfile(data, path);
    for (const id of p.pci) {
      const key = pciKey(id);
      const other = byKey.get(key);
      if (other) throw new ProfileError(path, [`pci: ${key} is already claimed by ${other}`]);
      byKey.set(key, p.id);
    }
    profiles.push(p);
  }
  return profiles;
}

export function pciKey(id: Pick<PciId, 'vendor' | 'device' | 'subvendor' | 'subdevice'>): string {
  let k = `${id.vendor}:${id.device}`;
  if (id.subvendor) k += `/${id.subvendor}`;
  if (id.subvendor && id.subdevice) k += `:${id.subdevice}`;
  return k;
}

export interface PciMatch {
  profile: BoardProfile;
  id: PciId;
}

/** The profile for a PCI device, or undefined when no profile claims it.
 * Ids are compared without a `0x` prefix and case-insensitively, as sysfs
 * writes them "0xd161". */
export function matchPci(
  profiles: readonly BoardProfile[],
  dev: { vendor: string; device: string; subvendor?: string; subdevice?: string },
): PciMatch | undefined {
  const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase().replace(/^0x/, '');
  const v = norm(dev.vendor), d = norm(dev.device), sv = norm(dev.subvendor), sd = norm(dev.subdevice);
  const keys = [`${v}:${d}/${sv}:${sd}`, `${v}:${d}/${sv}`, `${v}:${d}`];
  for (const key of keys) {
    for (const profile of profiles) {
      const id = profile.pci.find((p) => pciKey(p) === key);
      if (id) return { profile, id };
    }
  }
  return undefined;
}

/** The profile whose deviceTypes lists DAHDI's sysfs `type` for a device. */
export function matchDeviceType(profiles: readonly BoardProfile[], type: string): BoardProfile | undefined {
  const t = type.trim();
  return profiles.find((p) => p.deviceTypes.includes(t));
}

export function profileById(profiles: readonly BoardProfile[], id: string): BoardProfile {
  const p = profiles.find((x) => x.id === id);
  if (!p) throw new Error(`no board profile "${id}" (known: ${profiles.map((x) => x.id).join(', ')})`);
  return p;
}
