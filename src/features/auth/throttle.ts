// How long a sign-in attempt must wait after repeated failures: it slows guessing down without ever locking anyone out.
export const THROTTLE = {
  windowMs: 15 * 60_000,
  /** Failures for one account, from browsers it never signed in from, before attempts are delayed. */
  accountThreshold: 10,
  /** Failures from one client address, over all accounts, before attempts from it are delayed. */
  addressThreshold: 30,
  maxDelayMs: 5 * 60_000,
} as const;

export type ThrottleSettings = {
  windowMs: number;
  accountThreshold: number;
  addressThreshold: number;
  maxDelayMs: number;
};

/** 1 s once the threshold is reached, doubling with each further failure, up to the maximum. */
export function delayAfter(failures: number, threshold: number, maxDelayMs: number): number {
  if (failures < threshold) return 0;
  return Math.min(1000 * 2 ** (failures - threshold), maxDelayMs);
}

/** Milliseconds still to wait before the next attempt, given the last failure; 0 when it may go ahead. */
export function remainingWait(
  window: { count: number; last: Date | null },
  threshold: number,
  maxDelayMs: number,
  now: Date,
): number {
  if (!window.last) return 0;
  const delay = delayAfter(window.count, threshold, maxDelayMs);
  return Math.max(0, window.last.getTime() + delay - now.getTime());
}
