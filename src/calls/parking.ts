// Call park: a held call waits in a numbered slot (71.. by default) on music
// on hold until a phone dials the slot, or it rings back whoever parked it.
import type { Leg } from './leg.js';

interface Slot { journey: string; leg: Leg; take(picker: Leg): void }

export class Parking {
  private slots = new Map<number, Slot>();

  constructor(private range: () => { first: number; count: number }) {}

  isSlot(n: number): boolean {
    const { first, count } = this.range();
    return Number.isInteger(n) && n >= first && n < first + count;
  }

  // Takes the lowest free slot; null when all are in use.
  park(journey: string, leg: Leg): { slot: number; picked: Promise<Leg> } | null {
    const { first, count } = this.range();
    for (let n = first; n < first + count; n++) {
      if (this.slots.has(n)) continue;
      let take!: (l: Leg) => void;
      const picked = new Promise<Leg>((r) => { take = r; });
      this.slots.set(n, { journey, leg, take });
      leg.once('released', () => { if (this.slots.get(n)?.leg === leg) this.slots.delete(n); });
      return { slot: n, picked };
    }
    return null;
  }

  // Hands the parked call to the picker; false if the slot is empty.
  pickup(slot: number, picker: Leg): boolean {
    const s = this.slots.get(slot);
    if (!s) return false;
    this.slots.delete(slot);
    s.take(picker);
    return true;
  }

  leave(slot: number): void { this.slots.delete(slot); }

  list(): { slot: number; journey: string; chan: number }[] {
    return [...this.slots].map(([slot, s]) => ({ slot, journey: s.journey, chan: s.leg.chan }));
  }
}
