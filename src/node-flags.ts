// The V8 flags the server runs with: `npm start` passes them on the command line (package.json), and the tests and
// benchmarks that start the real server as a child process pass the same list. A test checks that both agree.
//
// --external-memory-accounted-in-global-limit: every socket read of an upload lands in a new buffer outside the
// JavaScript heap. By default V8 answers each few dozen megabytes of such memory with a full mark-compact of the
// whole heap, although a cheap scavenge frees those buffers: four to six full collections per 100 MB upload, about
// a fifth of its time. Counted within the heap's global limit instead, the same upload needs none (measured with
// --trace-gc: 31 mark-compacts over eight 100 MB uploads before, none after; `npm run bench -- upload` 0.4–0.6 →
// 0.8–0.9). It only changes when V8 decides to collect, never what it keeps; it is a startup flag, set before the
// heap exists, because V8 warns that flags changed at run time may behave unpredictably.
export const SERVER_NODE_FLAGS = ["--external-memory-accounted-in-global-limit"] as const;

/** The flags of SERVER_NODE_FLAGS this process was started without. */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
