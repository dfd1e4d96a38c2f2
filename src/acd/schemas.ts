// Configuration of queues and agents: one zod schema each, every field with a
// default and what it does.
import { z } from 'zod';
import { destinationSchema } from '../routing/destination.js';
import { STRATEGIES, canonicalStrategy, type StrategyName } from './strategies/index.js';

const agentId = z.string().regex(/^[0-9]{2,8}$/, 'an agent number is 2 to 8 digits');
const skillName = z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, 'a skill name is lower-case letters, digits, _ or -');
export const skillLevels = z.record(skillName, z.number().int().min(1).max(10));

export const STRATEGY_NAMES = Object.keys(STRATEGIES) as [StrategyName, ...StrategyName[]];

export const agentSchema = z.object({
  id: agentId.describe('the agent number, keyed on the phone at login'),
  name: z.string().max(40).default(''),
  ext: z.string().regex(/^[0-9]{2,6}$/).describe('the extension whose phone rings for this agent'),
  pin: z.string().regex(/^[0-9]{4,8}$/, 'a PIN is 4 to 8 digits').optional().describe('asked at phone login when set'),
  skills: skillLevels.default({}).describe('skill name to level 1-10'),
  weight: z.number().int().min(1).max(100).default(1).describe('share of calls under weighted-random'),
  autoLogin: z.boolean().default(false).describe('logged in at its own phone on first start (until it logs out)'),
  user: z.string().max(64).optional().describe('the panel user who works as this agent (their console, customers they own)'),
}).strict();
export type Agent = z.infer<typeof agentSchema>;

export const queueMemberSchema = z.object({
  agent: agentId,
  penalty: z.number().int().min(0).max(99).default(0).describe('agents with a lower penalty are offered calls first'),
}).strict();

export const queueSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'an id is 1 to 40 letters, digits, _ or -'),
  name: z.string().max(40).default(''),
  number: z.string().regex(/^[0-9]{2,6}$/, 'a queue number is 2 to 6 digits').optional().describe('dialled from a phone, or as a transfer target'),
  strategy: z.preprocess((v) => (typeof v === 'string' ? canonicalStrategy(v) ?? v : v), z.enum(STRATEGY_NAMES))
    .default('least-recent').describe('how an agent is chosen (other systems\' names are accepted: rrmemory, longest-idle-agent, ...)'),
  members: z.array(queueMemberSchema).max(500).default([]),
  weight: z.number().int().min(0).max(100).default(0).describe('an agent in several queues serves the higher weight first'),
  skills: skillLevels.default({}).describe('levels every caller in this queue needs'),
  skillWidenSec: z.number().int().min(0).max(3600).default(60).describe('each step of this wait lowers required levels by one; 0 never'),
  ringSec: z.number().int().min(5).max(120).default(15).describe('how long an offer rings an agent'),
  retrySec: z.number().int().min(0).max(60).default(5).describe('an agent who let an offer ring out gets no new offer for this long'),
  progressiveSec: z.number().int().min(2).max(60).default(5).describe('ring-progressively: one more agent every this many seconds'),
  wrapUpSec: z.number().int().min(0).max(600).default(10).describe('after a call, the agent gets no new call for this long'),
  autoPauseAfter: z.number().int().min(0).max(10).default(2).describe('missed offers in a row before the agent is paused; 0 never'),
  stickySec: z.number().int().min(0).max(30 * 86400).default(86400).describe('a caller seen within this time goes to the same agent first; 0 off'),
  serviceLevelSec: z.number().int().min(1).max(600).default(20).describe('answered within this counts toward the service level'),
  music: z.string().max(80).default('moh').describe('music on hold prompt'),
  announce: z.object({
    entry: z.string().max(80).optional().describe('played once on entry'),
    positionEverySec: z.number().int().min(0).max(600).default(30).describe('position and estimated wait, only when the position changed; 0 off'),
    estimatedWait: z.boolean().default(true),
  }).strict().default({}),
  maxWaitSec: z.number().int().min(0).max(7200).default(0).describe('0: no limit'),
  maxLength: z.number().int().min(0).max(10000).default(0).describe('callers waiting at most; 0: no limit'),
  joinEmpty: z.boolean().default(true).describe('callers may join when no agent is logged in'),
  leaveWhenEmpty: z.boolean().default(false).describe('waiting callers leave when the last agent logs out'),
  overflow: z.object({
    maxWait: destinationSchema.optional(),
    maxLength: destinationSchema.optional(),
    noAgents: destinationSchema.optional(),
    serviceLevel: destinationSchema.optional().describe('taken when the expected wait exceeds the service level'),
  }).strict().default({}).describe('where callers go when a rule takes them out; unset: voicemail of the operator, or busy'),
  callback: z.object({
    enabled: z.boolean().default(false),
    key: z.string().regex(/^[0-9*#]$/).default('1'),
    trunk: z.string().max(40).optional().describe('trunk to call back through; unset: the trunk the call came in on, else the outbound routes'),
  }).strict().default({}),
  exitKeys: z.record(z.string().regex(/^[0-9*#]$/), destinationSchema).default({}).describe('a key pressed while waiting leaves to a destination'),
  recording: z.enum(['always', 'never', 'on-demand']).optional(),
}).strict();
export type Queue = z.infer<typeof queueSchema>;
export type Strategy = StrategyName;
