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
}

export class RecordingRepo {
  constructor(private store: Store) {}

  // Returns the row id synchronously (the insert is committed with the batch).
  start(r: { journey: string; path: string; channel: number; stereo: boolean; at?: Date }): void {
    this.store.write(() => {
      this.store.stmt('INSERT INTO recordings (journey, path, channel, stereo, started_at) VALUES (?, ?, ?, ?, ?)')
        .run(r.journey, r.path, r.channel, r.stereo ? 1 : 0, (r.at ?? new Date()).toISOString());
    });
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
  };
}
