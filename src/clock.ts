// Time comes from an injected clock, so tests can stand on any day.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock for tests: starts at a given instant and moves only when told. */
export function manualClock(
  start: Date | string,
): Clock & { advance(ms: number): void; set(at: Date | string): void } {
  let current = new Date(start).getTime();
  const clock = () => new Date(current);
  clock.advance = (ms: number) => {
    current += ms;
  };
  clock.set = (at: Date | string) => {
    current = new Date(at).getTime();
  };
  return clock;
}
