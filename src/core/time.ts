// Times leave the core as ISO 8601 strings (UTC); the database keeps epoch milliseconds.

/** An epoch-milliseconds time as the API shows it, or null for no time. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The day (UTC, YYYY-MM-DD) an epoch-milliseconds time falls on. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
