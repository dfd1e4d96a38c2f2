// Feature codes: one table (defaults in config/schemas.ts, overridable in
// settings), looked up by what a phone dialed.
import { FEATURE_CODES, type FeatureName, type Settings } from '../config/schemas.js';

export function codeOf(settings: Settings, name: FeatureName): string {
  return settings.featureCodes[name] ?? FEATURE_CODES[name];
}

// The feature whose code `digits` ends with, among `names`.
export function featureCode(settings: Settings, digits: string, names: FeatureName[]): FeatureName | null {
  for (const n of names) if (digits.endsWith(codeOf(settings, n))) return n;
  return null;
}

// A dialed string that starts with a feature code: the feature and its argument.
export function parseFeature(settings: Settings, dialed: string): { name: FeatureName; arg: string } | null {
  let best: { name: FeatureName; arg: string; len: number } | null = null;
  for (const n of Object.keys(FEATURE_CODES) as FeatureName[]) {
    const code = codeOf(settings, n);
    if (dialed.startsWith(code) && (!best || code.length > best.len)) best = { name: n, arg: dialed.slice(code.length), len: code.length };
  }
  return best && { name: best.name, arg: best.arg };
}

export function featureTable(settings: Settings): { name: FeatureName; code: string }[] {
  return (Object.keys(FEATURE_CODES) as FeatureName[]).map((name) => ({ name, code: codeOf(settings, name) }));
}
