/**
 * Time is injected so that tests can move it (30-day purge, sync-off delay) without sleeping.
 * Every rule that depends on "now" takes it from a Clock, never from Date directly.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-01-15T09:00:00.000Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

/** Timestamps are stored as ISO-8601 UTC text on both engines; this fixed format sorts correctly. */
export function toIso(date: Date): string {
  return date.toISOString();
}
