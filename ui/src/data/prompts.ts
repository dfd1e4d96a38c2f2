// The prompt library: list (each with a URL the <audio> element plays through
// GET /api/prompts/...), and upload of a WAV or MP3 file over HTTP (the body
// can be megabytes: base64 in JSON).
import { httpCall, type Connection } from './api.js';

export interface Prompt { ref: string; kind: 'builtin' | 'custom'; name: string; url: string }

export const fetchPrompts = (conn: Connection, lang?: 'zh' | 'en') => conn.request<Prompt[]>('prompts/prompt/list', lang ? { lang } : {});

async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export async function uploadPrompt(name: string, file: Blob, replace = false): Promise<Prompt & { durationMs: number }> {
  return httpCall('prompts/prompt/upload', { name, body: await base64Of(file), replace });
}

// The URL that plays `ref` in `lang`.
export function promptUrl(ref: string, lang: string): string {
  const [kind, name] = ref.split(':');
  return `/api/prompts/${encodeURIComponent(lang)}/${encodeURIComponent(kind ?? '')}/${encodeURIComponent(name ?? '')}.wav`;
}
