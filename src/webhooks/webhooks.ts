// Webhooks: call ringing, answered, ended and voicemail left, taken from the
// journal as it is written, POSTed as signed JSON to each subscribed URL.
// Deliveries are rows, so a failed one is retried with backoff (and survives
// a restart); after the last attempt it is marked failed for the admin to see.
import crypto from 'node:crypto';
import type { Store } from '../store/store.js';
import type { JournalEntry } from '../store/journal.js';
import type { Logger } from '../log.js';
import { sign, SIGNATURE_HEADER } from './signature.js';

// Journal event → webhook event.
export const WEBHOOK_EVENTS: Record<string, string> = {
  CallRinging: 'call.ringing',
  CallAnswered: 'call.answered',
  CallEnded: 'call.ended',
  VoicemailLeft: 'voicemail.left',
};
export const EVENT_NAMES = Object.values(WEBHOOK_EVENTS);

export interface Webhook { id: number; url: string; events: string[]; description: string; enabled: boolean; createdAt: string; createdBy: string }
export interface Delivery { id: number; webhookId: number; event: string; status: 'pending' | 'delivered' | 'failed'; attempts: number; nextAttemptAt: string; lastStatus: number | null; lastError: string | null; createdAt: string; deliveredAt: string | null }

export interface WebhookOptions {
  backoffMs?: number[];       // wait before retry n; its length + 1 is the number of attempts
  timeoutMs?: number;
  pumpIntervalMs?: number;
  log?: Logger;
}

const DEFAULT_BACKOFF = [1_000, 5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

interface HookRow { id: number; url: string; secret: string; events: string; description: string; enabled: number; created_at: string; created_by: string }
interface DeliveryRow { id: number; webhook_id: number; event: string; payload: string; status: Delivery['status']; attempts: number; next_attempt_at: string; last_status: number | null; last_error: string | null; created_at: string; delivered_at: string | null }

const toHook = (r: HookRow): Webhook => ({ id: r.id, url: r.url, events: JSON.parse(r.events) as string[], description: r.description, enabled: r.enabled === 1, createdAt: r.created_at, createdBy: r.created_by });
const toDelivery = (r: DeliveryRow): Delivery => ({ id: r.id, webhookId: r.webhook_id, event: r.event, status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastStatus: r.last_status, lastError: r.last_error, createdAt: r.created_at, deliveredAt: r.delivered_at });

export class Webhooks {
  private backoff: number[];
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<number>();
  private pumping = false;
  private stopped = false;

  constructor(private store: Store, private opts: WebhookOptions = {}) {
    this.backoff = opts.backoffMs ?? DEFAULT_BACKOFF;
  }

  start(): void {
    this.unsubscribe = this.store.journal.subscribe((e) => this.onJournal(e));
    this.timer = setInterval(() => this.pump(), this.opts.pumpIntervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  list(): Webhook[] {
    return (this.store.stmt('SELECT * FROM webhooks ORDER BY id').all() as HookRow[]).map(toHook);
  }

  get(id: number): Webhook | undefined {
    const r = this.store.stmt('SELECT * FROM webhooks WHERE id = ?').get(id) as HookRow | undefined;
    return r ? toHook(r) : undefined;
  }

  create(h: { url: string; events: string[]; description?: string; createdBy: string }): Webhook & { secret: string } {
    const secret = `whsec_${crypto.randomBytes(24).toString('base64url')}`;
    const id = Number(this.store.write(() => this.store.stmt('INSERT INTO webhooks (url, secret, events, description, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(h.url, secret, JSON.stringify(h.events), h.description ?? '', new Date().toISOString(), h.createdBy).lastInsertRowid));
    return { ...this.get(id)!, secret };
  }

  remove(id: number): boolean {
    return this.store.write(() => this.store.stmt('DELETE FROM webhooks WHERE id = ?').run(id).changes) > 0;
  }

  deliveries(opts: { webhookId?: number; limit?: number } = {}): Delivery[] {
    const rows = opts.webhookId !== undefined
      ? this.store.stmt('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?').all(opts.webhookId, opts.limit ?? 100)
      : this.store.stmt('SELECT * FROM webhook_deliveries ORDER BY id DESC LIMIT ?').all(opts.limit ?? 100);
    return (rows as DeliveryRow[]).map(toDelivery);
  }

  private onJournal(e: Omit<JournalEntry, 'id'>): void {
    const event = WEBHOOK_EVENTS[e.event];
    if (!event || this.stopped) return;
    try {
      const hooks = this.list().filter((h) => h.enabled && (h.events.includes('*') || h.events.includes(event)));
      if (!hooks.length) return;
      const call = e.journey ? this.store.cdr.get(e.journey) ?? null : null;
      const now = new Date().toISOString();
      for (const h of hooks) {
        this.store.write(() => {
          const id = Number(this.store.stmt("INSERT INTO webhook_deliveries (webhook_id, event, payload, next_attempt_at, created_at) VALUES (?, ?, '', ?, ?)").run(h.id, event, now, now).lastInsertRowid);
          // Caller ID goes out as JSON string data, exactly as the line sent it.
          const payload = JSON.stringify({ id, event, at: e.at, journey: e.journey, data: e.data, call });
          this.store.stmt('UPDATE webhook_deliveries SET payload = ? WHERE id = ?').run(payload, id);
        });
      }
      // No flush here: the rows commit with the call's own write batch.
      setImmediate(() => this.pump());
    } catch (err) {
      this.opts.log?.error('webhook queueing failed', { error: (err as Error).message });
    }
  }

  // Sends every delivery that is due.
  async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      const due = this.store.stmt("SELECT d.*, w.url, w.secret FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.id LIMIT 20")
        .all(new Date().toISOString()) as (DeliveryRow & { url: string; secret: string })[];
      await Promise.all(due.filter((d) => !this.inFlight.has(d.id)).map((d) => this.send(d)));
    } catch (err) {
      if (!this.stopped) this.opts.log?.error('webhook pump failed', { error: (err as Error).message });
    } finally {
      this.pumping = false;
    }
  }

  private async send(d: DeliveryRow & { url: string; secret: string }): Promise<void> {
    this.inFlight.add(d.id);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(d.secret, d.payload), 'x-hotline-event': d.event, 'x-hotline-delivery': String(d.id), 'user-agent': 'hotline-webhooks' },
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as Error).message.slice(0, 300);
    } finally {
      this.inFlight.delete(d.id);
    }
    if (this.stopped) return;
    const attempts = d.attempts + 1;
    const now = Date.now();
    if (!error) {
      this.store.write(() => this.store.stmt("UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?").run(attempts, status, new Date(now).toISOString(), d.id));
    } else {
      const wait = this.backoff[attempts - 1];
      const next = wait === undefined ? 'failed' : 'pending';
      this.store.write(() => this.store.stmt('UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?')
        .run(next, attempts, status, error, new Date(now + (wait ?? 0)).toISOString(), d.id));
      this.opts.log?.warn('webhook delivery failed', { delivery: d.id, url: d.url, attempts, error, retry: next === 'pending' });
    }
  }
}
