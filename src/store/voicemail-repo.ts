// Voicemail messages: one row per message left in a box.
import type { Store } from './store.js';

export interface VoicemailMessage {
  id: number;
  box: string;
  journey: string | null;
  caller: string;
  callerName: string;
  receivedAt: string;
  durationMs: number;
  path: string;
  status: 'new' | 'saved' | 'deleted';
  emailedAt: string | null;
  emailError: string | null;
}

export class VoicemailRepo {
  constructor(private store: Store) {}

  add(m: Omit<VoicemailMessage, 'id' | 'status' | 'emailedAt' | 'emailError'>): number {
    const r = this.store.write(() => this.store.stmt('INSERT INTO voicemail (box, journey, caller, caller_name, received_at, duration_ms, path) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(m.box, m.journey, m.caller, m.callerName, m.receivedAt, m.durationMs, m.path));
    // A message left is a finished thing: on disk before the caller hears it was saved.
    this.store.flush();
    return Number(r.lastInsertRowid);
  }

  setStatus(id: number, status: VoicemailMessage['status']): void {
    this.store.write(() => { this.store.stmt('UPDATE voicemail SET status = ? WHERE id = ?').run(status, id); });
  }

  emailed(id: number, error: string | null): void {
    this.store.write(() => {
      this.store.stmt('UPDATE voicemail SET emailed_at = ?, email_error = ? WHERE id = ?').run(error ? null : new Date().toISOString(), error, id);
    });
  }

  list(box: string, statuses: VoicemailMessage['status'][] = ['new', 'saved']): VoicemailMessage[] {
    const rows = this.store.stmt(`SELECT * FROM voicemail WHERE box = ? AND status IN (${statuses.map(() => '?').join(',')}) ORDER BY status = 'saved', received_at`)
      .all(box, ...statuses) as Record<string, unknown>[];
    return rows.map((r) => ({
      id: r.id as number, box: r.box as string, journey: (r.journey as string | null) ?? null, caller: r.caller as string,
      callerName: r.caller_name as string, receivedAt: r.received_at as string, durationMs: r.duration_ms as number,
      path: r.path as string, status: r.status as VoicemailMessage['status'], emailedAt: (r.emailed_at as string | null) ?? null,
      emailError: (r.email_error as string | null) ?? null,
    }));
  }

  countNew(box: string): number {
    return (this.store.stmt("SELECT COUNT(*) AS n FROM voicemail WHERE box = ? AND status = 'new'").get(box) as { n: number }).n;
  }

  olderThan(iso: string): Pick<VoicemailMessage, 'id' | 'box' | 'path'>[] {
    return this.store.stmt("SELECT id, box, path FROM voicemail WHERE received_at < ? AND status != 'deleted'").all(iso) as Pick<VoicemailMessage, 'id' | 'box' | 'path'>[];
  }
}
