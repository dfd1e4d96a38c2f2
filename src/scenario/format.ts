// Scenario files: a far end scripted against the engine, with expectations.
// Documented in docs/scenarios.md.
import { z } from 'zod';

const matchValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const step = z.union([
  z.object({ do: z.string(), chan: z.number().int().optional(), args: z.record(z.unknown()).optional(), save: z.string().regex(/^[a-z][a-zA-Z0-9]*$/).optional(), fails: z.string().optional() }).strict(),
  z.object({ expect: z.string(), chan: z.number().int().optional(), match: z.record(matchValue).optional(), within: z.number().int().positive().max(600000).default(5000) }).strict(),
  z.object({ expectNo: z.string(), chan: z.number().int().optional(), match: z.record(matchValue).optional(), during: z.number().int().positive().max(600000) }).strict(),
  z.object({ wait: z.number().int().positive().max(600000) }).strict(),
  // Supervisor expectations (scenarios with a `box`): a journal entry, a CDR row.
  z.object({ expectJournal: z.string(), match: z.record(matchValue).optional(), within: z.number().int().positive().max(600000).default(5000), save: z.string().regex(/^[a-z][a-zA-Z0-9]*$/).optional() }).strict(),
  z.object({ expectNoJournal: z.string(), match: z.record(matchValue).optional(), during: z.number().int().positive().max(600000) }).strict(),
  z.object({ expectCdr: z.string(), match: z.record(matchValue), within: z.number().int().positive().max(600000).default(10000) }).strict(),
  z.object({
    checkWav: z.string(),
    channels: z.number().int().min(1).max(2).optional(),
    minMs: z.number().int().nonnegative().optional(),
    maxMs: z.number().int().positive().optional(),
    tones: z.array(z.object({ channel: z.number().int().min(0).max(1).default(0), freq: z.number().positive(), present: z.boolean().default(true) })).optional(),
  }).strict(),
]);
export type Step = z.infer<typeof step>;

export const scenario = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  // The sim board the private engine presents (scenarios with different
  // profiles or speeds each get their own engine).
  profile: z.string().default('sim-demo'),
  // Engine speed for this scenario instead of the run's --speed: 1 for a far
  // end that keeps wall-clock time (libss7).
  speed: z.number().positive().max(1000).optional(),
  // Runs the call-handling supervisor with this configuration (a path relative
  // to the scenario file) and wall clock, so steps can expect journal entries
  // and CDR rows. Against a live box (--socket) its own supervisor is used.
  box: z.object({
    config: z.string().min(1),
    at: z.string().datetime({ offset: true }).optional(),
  }).strict().optional(),
  steps: z.array(step).min(1),
  idleAfter: z.boolean().default(true),
}).strict();
export type Scenario = z.infer<typeof scenario>;
