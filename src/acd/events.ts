// The ACD's journal vocabulary: every queue and agent event, with its data.
// Live statistics and reports are folds over these entries, so this file is
// the contract between the call flow that writes them and everything that
// counts them. Queue events carry the call's journey; agent events do not
// (an agent logging in is not part of any call).
//
// Times in data are seconds of engine time, rounded to 0.1 s. The journal
// entry's own `at` (wall time) places the event in a report period.

// Engine milliseconds as the seconds journaled in queue and agent data.
export const secs = (ms: number): number => Math.max(0, Math.round(ms / 100) / 10);

export interface QueueEvents {
  // A caller entered a queue (each entry counts once as "offered" to that
  // queue: a call transferred from queue A to queue B counts in both).
  QueueJoined: { queue: string; priority: number; position: number; skills: Record<string, number>; caller: string; sticky?: string };
  // A waiting caller was offered to an agent (their phone rings).
  QueueOffered: { queue: string; agent: string; ext: string; chan: number; waitSec: number };
  // The agent did not take the offer (rang out, busy phone, rejected).
  QueueOfferMissed: { queue: string; agent: string; why: 'no-answer' | 'busy' | 'caller-left' };
  // An agent answered: waitSec is from QueueJoined to the answer.
  QueueAnswered: { queue: string; agent: string; ext: string; waitSec: number };
  // The caller hung up while waiting.
  QueueAbandoned: { queue: string; waitSec: number; position: number };
  // The caller left the queue by a rule: to another destination.
  QueueOverflowed: { queue: string; why: 'maxWait' | 'maxLength' | 'noAgents' | 'serviceLevel' | 'leaveWhenEmpty'; waitSec: number; to: unknown };
  // The caller pressed the queue's exit key.
  QueueExited: { queue: string; key: string; waitSec: number; to: unknown };
  // The agent's part of the call ended: talkSec from answer to end (or to a
  // transfer away). Wrap-up follows as agent events.
  QueueCallCompleted: { queue: string; agent: string; talkSec: number; endedBy: 'caller' | 'agent' | 'transfer' | 'supervisor' };
  // The agent transferred the call on (to a queue, extension or number).
  QueueTransferred: { queue: string; agent: string; to: string };
  // Press-1-for-callback: the caller hung up keeping their place.
  CallbackRequested: { queue: string; number: string; position: number; waitSec: number };
  // The place came up: an agent took it and the caller was dialled back.
  CallbackServed: { queue: string; agent: string; number: string; outcome: 'answered' | 'no-answer' | 'failed'; waitSec: number };
  // A caller waiting when the supervisor restarted took their place again.
  QueueResumed: { queue: string; waitSec: number };
  // Position or estimated wait was announced to a caller.
  QueueAnnounced: { queue: string; position: number; estimatedSec: number | null };
}

export type AgentState = 'logged-out' | 'ready' | 'reserved' | 'on-call' | 'wrap-up' | 'paused';

export interface AgentEvents {
  AgentLoggedIn: { agent: string; ext: string; queues: string[]; via: 'phone' | 'console' | 'supervisor' | 'config'; by?: string };
  AgentLoggedOut: { agent: string; via: 'phone' | 'console' | 'supervisor' | 'restart'; by?: string };
  // Not ready, with a reason code (lunch, training, meeting, ...). Auto-pause
  // after missed offers has reason "missed" and the count.
  AgentPaused: { agent: string; reason: string; via: 'phone' | 'console' | 'supervisor' | 'auto'; by?: string; missed?: number };
  AgentResumed: { agent: string; via: 'phone' | 'console' | 'supervisor' | 'timer'; by?: string; pausedSec: number };
  // Wrap-up after a queue call; ended by its timer or the agent going ready.
  AgentWrapUpStarted: { agent: string; queue: string; sec: number };
  AgentWrapUpEnded: { agent: string; queue: string; sec: number };
  // Supervision of an agent's call; `by` is the supervisor's user or extension.
  AgentSupervised: { agent: string; mode: 'listen' | 'whisper' | 'barge' | 'hangup' | 'intercept' | 'stop'; by: string; journey?: string };
}

export type AcdEventName = keyof QueueEvents | keyof AgentEvents;
export const QUEUE_EVENTS = ['QueueJoined', 'QueueOffered', 'QueueOfferMissed', 'QueueAnswered', 'QueueAbandoned', 'QueueOverflowed', 'QueueExited',
  'QueueCallCompleted', 'QueueTransferred', 'CallbackRequested', 'CallbackServed', 'QueueAnnounced', 'QueueResumed'] as const satisfies readonly (keyof QueueEvents)[];
export const AGENT_EVENTS = ['AgentLoggedIn', 'AgentLoggedOut', 'AgentPaused', 'AgentResumed', 'AgentWrapUpStarted', 'AgentWrapUpEnded', 'AgentSupervised'] as const satisfies readonly (keyof AgentEvents)[];
