// `hotline user reset-admin [--data-dir DIR]`: the serial console's way back
// in. Reads the new password from stdin (typed without echo on a terminal, or
// piped), sets it on the oldest admin account (creating "admin" if there is
// none), re-enables it, lifts its lockout and ends its sessions.
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { Store } from '../store/store.js';
import { resetAdminPassword } from '../auth/accounts.js';

export async function userCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals[0] !== 'reset-admin' || positionals.length !== 1) {
    process.stderr.write('usage: hotline user reset-admin [--data-dir DIR]   (the new password on stdin)\n');
    return 2;
  }
  const dataDir = path.resolve(values['data-dir'] ?? process.env.HOTLINE_DATA_DIR ?? 'data');
  const password = process.stdin.isTTY ? await askHidden('New admin password: ') : await firstLine(process.stdin);
  const store = Store.open(path.join(dataDir, 'hotline.db'));
  try {
    const name = await resetAdminPassword(store, password);
    console.log(`password of admin "${name}" reset; its sessions ended and its lockout lifted`);
    return 0;
  } catch (e) {
    process.stderr.write(`hotline user reset-admin: ${(e as Error).message}\n`);
    return 1;
  } finally {
    store.close();
  }
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(prompt);
    out._writeToOutput = () => {};   // no echo
    rl.question('', (answer) => { rl.close(); process.stdout.write('\n'); resolve(answer); });
  });
}
