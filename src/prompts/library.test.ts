import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../native/addon.js';
import {
  builtinPromptTexts,
  importPrompt,
  listPrompts,
  parsePromptRef,
  PromptError,
  promptExists,
  resolvePrompt,
  type PromptDirs,
  type PromptErrorCode,
} from './library.js';
import { readWavHeader } from './wav-header.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-prompts-'));
const dirs: PromptDirs = { projectRoot: path.join(tmp, 'root'), dataDir: path.join(tmp, 'data') };
const src = path.join(tmp, 'src');
fs.mkdirSync(src);

function touch(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '');
}
touch(path.join(dirs.projectRoot, 'out/prompts/zh/welcome.wav'));
touch(path.join(dirs.projectRoot, 'out/prompts/zh/digit_1.wav'));
touch(path.join(dirs.projectRoot, 'out/prompts/en/welcome.wav'));
touch(path.join(dirs.dataDir, 'prompts/custom/spring_sale.wav'));
touch(path.join(dirs.dataDir, 'prompts/custom/.half.1234abcd.tmp'));
touch(path.join(dirs.dataDir, 'prompts/custom/Notes.txt'));

/** A test recording made with sox's synth. */
function synth(name: string, args: string[], effect: string[] = []): string {
  const file = path.join(src, name);
  execFileSync('sox', ['-n', ...args, file, 'synth', ...effect]);
  return file;
}

async function rejects(p: Promise<unknown>, code: PromptErrorCode, needle?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, PromptError);
    assert.is((e as PromptError).code, code, `expected code ${code}, got ${(e as PromptError).code}: ${(e as Error).message}`);
    if (needle) assert.match((e as Error).message, needle);
    return;
  }
  assert.unreachable(`expected a PromptError ${code}`);
}

function customFiles(): string[] {
  return fs.readdirSync(path.join(dirs.dataDir, 'prompts/custom')).sort();
}

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('refs are builtin:<name> or custom:<name> with a safe name', () => {
  assert.equal(parsePromptRef('builtin:welcome'), { kind: 'builtin', name: 'welcome' });
  assert.equal(parsePromptRef('custom:spring_sale-2'), { kind: 'custom', name: 'spring_sale-2' });
  for (const bad of ['welcome', 'system:welcome', 'custom:../etc/passwd', 'custom:', 'custom:Sale', `custom:${'a'.repeat(65)}`]) {
    assert.throws(() => parsePromptRef(bad), (e: unknown) => e instanceof PromptError && e.code === 'invalid_ref', bad);
  }
});

test('builtin prompts resolve per language, custom prompts to one file for all', () => {
  assert.is(resolvePrompt('builtin:welcome', 'zh', dirs), path.join(dirs.projectRoot, 'out/prompts/zh/welcome.wav'));
  assert.is(resolvePrompt('builtin:welcome', 'en', dirs), path.join(dirs.projectRoot, 'out/prompts/en/welcome.wav'));
  assert.is(resolvePrompt('custom:spring_sale', 'en', dirs), path.join(dirs.dataDir, 'prompts/custom/spring_sale.wav'));
  assert.is(resolvePrompt('custom:spring_sale', 'zh', dirs), path.join(dirs.dataDir, 'prompts/custom/spring_sale.wav'));
});

test('a missing prompt is not_found, and for a builtin the message says how to generate it', () => {
  assert.throws(() => resolvePrompt('builtin:digit_1', 'en', dirs), /not found .*scripts\/prompts/);
  assert.throws(() => resolvePrompt('custom:gone', 'en', dirs), (e: unknown) => e instanceof PromptError && e.code === 'not_found');
});

test('promptExists is false for missing files and malformed refs alike', () => {
  assert.ok(promptExists('builtin:digit_1', 'zh', dirs));
  assert.not.ok(promptExists('builtin:digit_1', 'en', dirs));
  assert.ok(promptExists('custom:spring_sale', 'zh', dirs));
  assert.not.ok(promptExists('custom:../custom/spring_sale', 'zh', dirs));
  assert.not.ok(promptExists('spring_sale', 'zh', dirs));
});

test('listPrompts lists builtins of the language then customs, skipping temp and foreign files', () => {
  assert.equal(listPrompts('zh', dirs).map((p) => p.ref), ['builtin:digit_1', 'builtin:welcome', 'custom:spring_sale']);
  assert.equal(listPrompts('en', dirs)[0], { ref: 'builtin:welcome', kind: 'builtin', name: 'welcome', path: path.join(dirs.projectRoot, 'out/prompts/en/welcome.wav') });
  assert.equal(listPrompts('en', { projectRoot: path.join(tmp, 'none'), dataDir: path.join(tmp, 'none') }), []);
});

test('importPrompt converts a 44.1 kHz stereo WAV to 8 kHz mono PCM16', async () => {
  const file = synth('stereo.wav', ['-r', '44100', '-c', '2', '-b', '16'], ['2.5', 'sine', '440']);
  const got = await importPrompt(file, 'hello', dirs);
  assert.equal({ ...got, durationMs: Math.round(got.durationMs / 10) * 10 }, {
    ref: 'custom:hello', kind: 'custom', name: 'hello', path: path.join(dirs.dataDir, 'prompts/custom/hello.wav'), durationMs: 2500,
  });
  const h = readWavHeader(got.path);
  assert.equal({ format: h.format, channels: h.channels, rate: h.rate, bits: h.bits }, { format: 1, channels: 1, rate: 8000, bits: 16 });
  assert.ok(promptExists('custom:hello', 'en', dirs));
});

test('importPrompt reads MP3, and other WAV encodings (A-law), whatever the file is called', async () => {
  const mp3 = synth('song.mp3', ['-r', '44100', '-c', '2'], ['1.5', 'sine', '300']);
  const noName = path.join(src, 'upload-7f3a');
  fs.copyFileSync(mp3, noName);
  const a = await importPrompt(noName, 'from_mp3', dirs);
  assert.ok(Math.abs(a.durationMs - 1500) < 120, `MP3 of 1.5 s became ${a.durationMs} ms`);
  const alaw = synth('alaw.wav', ['-r', '8000', '-c', '1', '-e', 'a-law'], ['1', 'sine', '500']);
  const b = await importPrompt(alaw, 'from_alaw', dirs);
  assert.is(readWavHeader(b.path).format, 1);
  assert.is(b.durationMs, 1000);
});

test('importPrompt refuses a bad name, and replacing an existing prompt unless asked', async () => {
  const file = synth('short.wav', ['-r', '8000', '-c', '1'], ['0.5', 'sine', '440']);
  await rejects(importPrompt(file, '../escape', dirs), 'invalid_ref');
  await rejects(importPrompt(file, 'Spring Sale', dirs), 'invalid_ref');
  await importPrompt(file, 'twice', dirs);
  await rejects(importPrompt(file, 'twice', dirs), 'exists', /already exists/);
  const again = await importPrompt(file, 'twice', dirs, { replace: true });
  assert.is(again.durationMs, 500);
});

test('a garbage file is unsupported; known other formats are named', async () => {
  const garbage = path.join(src, 'garbage.wav');
  fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) & 0x7f)));
  await rejects(importPrompt(garbage, 'garbage', dirs), 'unsupported', /garbage\.wav: not a WAV or MP3 file/);
  const ogg = path.join(src, 'voice.ogg');
  fs.writeFileSync(ogg, Buffer.concat([Buffer.from('OggS'), Buffer.alloc(100)]));
  await rejects(importPrompt(ogg, 'voice', dirs), 'unsupported', /Ogg is not supported/);
});

test('a WAV header over garbage is corrupt, with sox\'s reason', async () => {
  const bad = path.join(src, 'bad.wav');
  fs.writeFileSync(bad, Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk'), Buffer.alloc(200, 0x41)]));
  await rejects(importPrompt(bad, 'bad', dirs), 'corrupt', /bad\.wav: cannot be decoded as WAV \(.+\)/);
});

test('a truncated WAV (an upload cut short) is corrupt', async () => {
  const whole = synth('whole.wav', ['-r', '16000', '-c', '1', '-b', '16'], ['3', 'sine', '440']);
  const cut = path.join(src, 'cut.wav');
  fs.writeFileSync(cut, fs.readFileSync(whole).subarray(0, 30000));
  await rejects(importPrompt(cut, 'cut', dirs), 'corrupt', /cut\.wav: the file is truncated/);
});

test('an empty file, or a WAV with no samples, is empty', async () => {
  const empty = path.join(src, 'empty.wav');
  fs.writeFileSync(empty, '');
  await rejects(importPrompt(empty, 'empty', dirs), 'empty');
  // (Not made with sox: `synth 0` means "forever".)
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  const silent = path.join(src, 'nothing.wav');
  fs.writeFileSync(silent, header);
  await rejects(importPrompt(silent, 'nothing', dirs), 'empty');
});

test('a recording over 10 minutes is too_long', async () => {
  const long = synth('long.wav', ['-r', '8000', '-c', '1', '-b', '16'], ['601', 'sine', '440']);
  await rejects(importPrompt(long, 'long', dirs), 'too_long', /longer than 10 minutes/);
});

test('a missing source file is not_found', async () => {
  await rejects(importPrompt(path.join(src, 'nope.wav'), 'nope', dirs), 'not_found', /ENOENT/);
});

test('failed imports leave nothing behind in the custom directory', () => {
  assert.equal(customFiles(), ['.half.1234abcd.tmp', 'Notes.txt', 'from_alaw.wav', 'from_mp3.wav', 'hello.wav', 'spring_sale.wav', 'twice.wav']);
});

test('the shipped builtin prompt texts have both languages and valid names', () => {
  const texts = builtinPromptTexts({ projectRoot: projectRoot() });
  for (const [name, t] of Object.entries(texts)) {
    assert.match(name, /^[a-z0-9_-]{1,64}$/);
    assert.ok(t.zh?.trim() && t.en?.trim(), `${name} lacks a text`);
  }
  for (const name of ['welcome', 'main_menu', 'invalid', 'timeout', 'goodbye', 'voicemail_greeting_default', 'queue_position', 'night_mode']) {
    assert.ok(texts[name], `builtin prompt ${name} is missing`);
  }
});

test.run();
