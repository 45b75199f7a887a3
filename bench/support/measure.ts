// In-process measurements shared by the benchmarks: rates, CPU time per thread, the event loop, bare argon2id.
import { monitorEventLoopDelay, PerformanceObserver, performance } from "node:perf_hooks";
import { verify } from "@node-rs/argon2";
import { percentile, round } from "./stats.js";

/** Completions counted over a window of time. */
export type Rate = { completed: number; windowMs: number };

export const perSecond = (rate: Rate): number => (rate.completed * 1000) / rate.windowMs;

/** Several windows as one: total completions over total time. */
export const pooled = (rates: readonly Rate[]): Rate =>
  rates.reduce(
    (sum, rate) => ({ completed: sum.completed + rate.completed, windowMs: sum.windowMs + rate.windowMs }),
    {
      completed: 0,
      windowMs: 0,
    },
  );

type CpuMark = { process: NodeJS.CpuUsage; main: NodeJS.CpuUsage };

/** CPU time from now on: the whole process (every thread), and the main thread alone (the server's event loop). */
export function cpuFromNow(): () => { processMs: number; mainMs: number } {
  const start: CpuMark = { process: process.cpuUsage(), main: process.threadCpuUsage() };
  return () => {
    const all = process.cpuUsage(start.process);
    const main = process.threadCpuUsage(start.main);
    return { processMs: (all.user + all.system) / 1000, mainMs: (main.user + main.system) / 1000 };
  };
}

/**
 * Bare argon2id verifications of `passwordHash`, `concurrency` at a time, for `durationMs`; those ending in the
 * first `rampMs` are not counted. Also the CPU time per verification, off the main thread (where argon2 runs).
 */
export async function measureVerify(
  passwordHash: string,
  password: string,
  options: { concurrency: number; durationMs: number; rampMs: number },
): Promise<Rate & { cpuMsPerVerify: number }> {
  const cpu = cpuFromNow();
  const start = performance.now();
  const countFrom = start + options.rampMs;
  const deadline = start + options.durationMs;
  let completed = 0;
  let all = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      if (!(await verify(passwordHash, password))) throw new Error("bare verify rejected the right password");
      all++;
      const now = performance.now();
      if (now >= countFrom && now <= deadline) completed++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const used = cpu();
  return {
    completed,
    windowMs: options.durationMs - options.rampMs,
    cpuMsPerVerify: (used.processMs - used.mainMs) / all,
  };
}

export type EventLoopStats = {
  /** Share of wall time the main thread was busy. */
  utilization: number;
  /** Median over the phases of the p99 timer delay, and the longest delay seen. */
  delayP99Ms: number;
  delayMaxMs: number;
  /** Main-thread garbage collection pauses, per second of the phases, and the longest. */
  gcMsPerSecond: number;
  gcMaxMs: number;
};

/** The server's main thread over several phases of the same kind. */
export class EventLoopWatch {
  #activeMs = 0;
  #totalMs = 0;
  readonly #p99s: number[] = [];
  #maxMs = 0;
  #gcMs = 0;
  #gcMaxMs = 0;

  async during<T>(work: () => Promise<T>): Promise<T> {
    // A fresh delay monitor per phase: a re-enabled one counts the pause between phases as one long delay.
    const delays = monitorEventLoopDelay({ resolution: 1 });
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        this.#gcMs += entry.duration;
        this.#gcMaxMs = Math.max(this.#gcMaxMs, entry.duration);
      }
    });
    gc.observe({ entryTypes: ["gc"] });
    const before = performance.eventLoopUtilization();
    delays.enable();
    try {
      return await work();
    } finally {
      delays.disable();
      gc.disconnect();
      const used = performance.eventLoopUtilization(before);
      this.#activeMs += used.active;
      this.#totalMs += used.idle + used.active;
      this.#p99s.push(delays.percentile(99) / 1e6);
      this.#maxMs = Math.max(this.#maxMs, delays.max / 1e6);
    }
  }

  stats(): EventLoopStats {
    return {
      utilization: round(this.#totalMs > 0 ? this.#activeMs / this.#totalMs : 0),
      delayP99Ms: round(percentile(this.#p99s, 50)),
      delayMaxMs: round(this.#maxMs),
      gcMsPerSecond: round(this.#totalMs > 0 ? (this.#gcMs * 1000) / this.#totalMs : 0),
      gcMaxMs: round(this.#gcMaxMs),
    };
  }
}
