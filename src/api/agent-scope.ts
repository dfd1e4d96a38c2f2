// What an agent may see of calls: only the calls their own agent took or
// made. Supervisors and admins see every call (undefined scope); an agent
// role that works as no agent (or an integration token with the agent role)
// sees none. One helper, so the call list, one call, the recording route and
// the contact history cannot disagree.
import type { ApiDeps, Actor } from './context.js';
import type { Cdr } from '../store/cdr-repo.js';

export type CallScope = { agent: string | null } | undefined;

export function callScope(deps: ApiDeps, actor: Actor | undefined): CallScope {
  if (!actor || actor.role !== 'agent') return undefined;
  if (actor.kind !== 'user') return { agent: null };
  const u = actor.name.toLowerCase();
  const agents = deps.config.list('agent');
  // Same rule as the ACD's agentOfUser: the agent whose `user` names them,
  // else the agent numbered as the user name when it is linked to nobody.
  const id = agents.find((a) => a.user?.toLowerCase() === u)?.id ?? agents.find((a) => a.id === actor.name && !a.user)?.id;
  return { agent: id ?? null };
}

export function inScope(scope: CallScope, cdr: Pick<Cdr, 'agent'> | undefined): boolean {
  return scope === undefined || (!!cdr && scope.agent !== null && cdr.agent === scope.agent);
}

// The ACD status as an agent may see it: every agent's state (the wallboard
// figures), but whom a phone rings with or talks to only for their own agent.
export function statusFor<S extends { agents: { id: string; party: unknown }[] }>(status: S, scope: CallScope): S {
  if (scope === undefined) return status;
  return { ...status, agents: status.agents.map((a) => (a.id === scope.agent ? a : { ...a, party: null })) };
}
