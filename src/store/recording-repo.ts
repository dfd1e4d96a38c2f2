// Recordings indexed by journey: the engine writes the files, this table
// says which call each belongs to and whether it finished cleanly.
import type { Store } from './store.js';

export interface RecordingRow {
  id: number;
  journey: string;
  path: string;
  channel: number | null;
  stereo: boolean;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  status: 'recording' | 'finished' | 'interrupted';
  deletedAt: string | null;      // the retention rule removed the file
}

export class RecordingRepo {
  constructor(private store: Store) {}

  // Returns the row id synchronously (the insert is committed with the
  // batch). That id is a recording's one public id: the CDR, the journal,
  // the API, exports and GET /api/recordings/<id>.wav all use it; the
  // engine's own recording number restarts with the engine and stays inside
  // the call (and the journal's engineRecordingId).
  start(r: { journey: string; path: string; channel: number; stereo: boolean; at?: Date }): number {
    return this.store.write(() => Number(this.store.stmt('INSERT INTO recordings (journey, path, channel, stereo, started_at) VALUES (?, ?, ?, ?, ?)')
      .run(r.journey, r.path, r.channel, r.stereo ? 1 : 0, (r.at ?? new Date()).toISOString()).lastInsertRowid)) ?? 0;
  }

  get(id: number): RecordingRow | undefined {
    const r = this.store.stmt('SELECT * FROM recordings WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? fromRow(r) : undefined;
  }

  finish(path: string, durationMs: number, status: 'finished' | 'interrupted' = 'finished'): void {
    this.store.write(() => {
      this.store.stmt("UPDATE recordings SET ended_at = ?, duration_ms = ?, status = ? WHERE path = ? AND status = 'recording'")
        .run(new Date().toISOString(), durationMs, status, path);
    });
  }

  forJourney(journey: string): RecordingRow[] {
    return (this.store.stmt('SELECT * FROM recordings WHERE journey = ? ORDER BY id').all(journey) as Record<string, unknown>[]).map(fromRow);
  }

  unfinished(): RecordingRow[] {
    return (this.store.stmt("SELECT * FROM recordings WHERE status = 'recording'").all() as Record<string, unknown>[]).map(fromRow);
  }
}

function fromRow(r: Record<string, unknown>): RecordingRow {
  return {
    id: r.id as number, journey: r.journey as string, path: r.path as string, channel: (r.channel as number | null) ?? null,
    stereo: r.stereo === 1, startedAt: r.started_at as string, endedAt: (r.ended_at as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null, status: r.status as RecordingRow['status'],
    deletedAt: (r.deleted_at as string | null) ?? null,
  };
}
