// The V8 flags the server runs with: `npm start` (scripts/start.mjs) gives them to the compiled server, reading this
// very list from dist/, and the tests and benchmarks that start the real server as a child process pass it too.
// test/start-build.test.ts checks that the server `npm start` runs has them.
//
// --external-memory-accounted-in-global-limit: every socket read of an upload lands in a new buffer outside the
// JavaScript heap. By default V8 answers each few dozen megabytes of such memory with a full mark-compact of the
// whole heap, although a cheap scavenge frees those buffers: four to six full collections per 100 MB upload, about
// a fifth of its time. Counted within the heap's global limit instead, the same upload needs none (measured with
// --trace-gc: 31 mark-compacts over eight 100 MB uploads before, none after; `npm run bench -- upload` 0.4–0.6 →
// 0.8). It only changes when V8 decides to collect, never what it keeps.
//
// --scavenger-max-new-space-capacity-mb=4 (default 32): the socket buffers die young, but their memory is given back
// only when a scavenge finds them dead. With a small young generation that happens every few megabytes, so the next
// reads reuse memory still in the processor's cache instead of touching fresh pages: the same bench goes from
// 0.79–0.82 to 0.97–1.04 (three runs each, alternating, on a quiet machine), and the pages bench does not move
// (0.127–0.134 with or without).
//
// --heap-growing-percent=50: after each full collection V8 lets the old generation grow to a multiple of what
// survived, up to four times for a heap this size, and the server keeps those pages. Under the load bench's mix (two
// servers on PostgreSQL, 300 s at 100 requests a second, one killed half-way) the survivor held 72 MB of live objects
// before and after the steady phase (heap snapshots), yet its heap reached 265 MB and its resident memory went from
// 202 to 430 MB (VmRSS after ÷ after warm-up 1.56–2.1 in three runs). Growing by half of what survived instead: 1.09,
// with the highest sustained rate and the p99s no worse (188 requests a second against 163), `npm run bench --
// upload` 0.872 with and 0.876 without, the pages bench 0.173 and 0.048 with, 0.179 and 0.047 without (embedded,
// PostgreSQL), and its idle resident memory 637 and 459 MB with, 784 and 608 MB without.
//
// --no-wasm-code-gc: Node 24's V8 (13.6) can free a WebAssembly import wrapper twice when one thread tiers it up
// while code GC frees it on another (a wrapper marked dying is looked up and referenced; V8's fix 9b8ca54d5a, « Fix
// lookup of wrappers marked is_dying », is not in any Node 24 release up to 24.21.0; nodejs/node#64500). The process
// then dies on « Check failed: jit_page_->allocations_.erase(addr) == 1 » in UnregisterWasmAllocation. PGlite is our
// WebAssembly: the embedded server can die this way, and CI lost a test process to it in two runs of three. Others
// measured it (20 jobs × 10 processes each): 16 crashes in 40 jobs with code GC, none in 20 without; PKU off did
// not help. Without code GC, code that tier-up replaced stays allocated: a bounded amount per module (PGlite's is
// compiled once per process), not a leak that grows with requests.
//
/**
 * The flags that every process running PGlite needs, whatever it does (tests, benchmarks, the CLI): package.json's
 * scripts give them, and node-flags.test.ts checks that those scripts and the test processes have them.
 */
export const WASM_NODE_FLAGS = ["--no-wasm-code-gc"] as const;

// All are startup flags, set before the heap exists, because V8 warns that flags changed at run time may behave
// unpredictably.
export const SERVER_NODE_FLAGS = [
  "--external-memory-accounted-in-global-limit",
  "--scavenger-max-new-space-capacity-mb=4",
  "--heap-growing-percent=50",
  ...WASM_NODE_FLAGS,
] as const;

// MALLOC_ARENA_MAX=2: glibc gives each thread that allocates an arena of its own (up to eight per core), and memory
// freed in an arena mostly stays with the process. The server's allocating threads (V8's compiler and collector
// helpers, libuv's pool for files and argon2) each kept theirs: in `npm run bench -- load` (two servers on PostgreSQL,
// a 60 s steady phase) the survivor's resident memory grew 100 MB over the run, of which 76 MB outside V8's heap and
// external memory; with two arenas, 47 MB, of which 15 MB outside (VmRSS after ÷ after warm-up 1.47 → 1.22). An
// operator's own MALLOC_ARENA_MAX wins.
/** Environment the server starts with, under what the operator set. */
export const SERVER_ENVIRONMENT = { MALLOC_ARENA_MAX: "2" } as const;

/** The environment to start the server with: SERVER_ENVIRONMENT, then `env` over it. */
export function serverEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...SERVER_ENVIRONMENT, ...env };
}

/** The flags of SERVER_NODE_FLAGS this process was started without. */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
