// The `hotline` command.
import { analyzeCommand } from './analyze.js';
import { scenarioCommand } from './scenario.js';
import { loadAddon } from '../native/addon.js';
import { runEngine } from '../engine/main.js';
import { runSupervisor } from '../main.js';
import { configCommand } from './config.js';
import { previewCommand } from './preview.js';
import { promptCommand } from './prompt.js';
import { reportCommand } from './report.js';
import { userCommand } from './user.js';
import { consoleCommand } from './console.js';

const USAGE = `usage: hotline <command>
  scenario run FILE... [--socket PATH] [--speed N]   run scenario files against an engine
  analyze FILE [--json]                              what a line recording holds (DTMF, caller ID, tones)
  engine [--profile ID] [--speed N] [--socket PATH]  run the telephony engine
  supervisor [--data-dir DIR] [--socket PATH] [--seed FILE]
                                                     run the call-handling supervisor against an engine
  config validate|import|export FILE [--data-dir DIR] check, load or save the whole configuration
  preview --caller N [--trunk ID] [--did N] [--at ISO] what the box would do with a call at that time
  prompt import FILE NAME [--replace] | prompt list    custom prompts (WAV/MP3) for menus and announcements
  report acd [--from ISO] [--to ISO] [--group-by queue|agent|hour|day|month] [--tz ZONE] [--csv]
                                                     queue and agent figures for a period, from the journal
  repair-wav FILE                                    fix a recording's header after a crash
  user reset-admin [--data-dir DIR]                  set the admin password (read from stdin) from the console
  console [--device /dev/ttyS0] [--baud N] [--data-dir DIR] | --stdio
                                                     the box's console (login, commands, status) on a serial
                                                     device or this terminal, attached to the running supervisor
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'scenario': return scenarioCommand(rest);
    case 'analyze': return analyzeCommand(rest, loadAddon());
    case 'engine': await runEngine(rest); return -1;
    case 'supervisor': await runSupervisor(rest); return -1;
    case 'config': return configCommand(rest);
    case 'preview': return previewCommand(rest);
    case 'prompt': return promptCommand(rest);
    case 'report': return reportCommand(rest);
    case 'user': return userCommand(rest);
    case 'console': return consoleCommand(rest);
    case 'repair-wav': {
      if (rest.length !== 1) { process.stderr.write('usage: hotline repair-wav FILE\n'); return 2; }
      try {
        const fixed = loadAddon().repairWav(rest[0]!);
        console.log(fixed ? `${rest[0]}: header repaired` : `${rest[0]}: header was already correct`);
        return 0;
      } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        return 2;
      }
    }
    default:
      process.stderr.write(USAGE);
      return cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 2;
  }
}
