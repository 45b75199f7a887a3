import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { missingNodeFlags, SERVER_NODE_FLAGS, serverEnvironment, WASM_NODE_FLAGS } from "./node-flags.js";

test("this Node accepts the server flags, and says nothing about them", () => {
  const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, "-e", "process.stdout.write('ok')"], {
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "ok");
  assert.equal(run.stderr, "");
});

test("missingNodeFlags names the flags a process lacks", () => {
  assert.deepEqual(missingNodeFlags(["--import", "tsx"]), [...SERVER_NODE_FLAGS]);
  assert.deepEqual(missingNodeFlags([...SERVER_NODE_FLAGS, "--import", "tsx"]), []);
});

/** The flags package.json's script gives node, before its `--import tsx`; undefined when it does not start node. */
async function nodeFlagsOfScript(name: string): Promise<string[] | undefined> {
  const manifest: unknown = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
  const scripts =
    typeof manifest === "object" && manifest !== null ? Reflect.get(manifest, "scripts") : undefined;
  const script: unknown =
    typeof scripts === "object" && scripts !== null ? Reflect.get(scripts, name) : undefined;
  const words = typeof script === "string" ? script.split(" ") : [];
  const end = words.indexOf("--import");
  return words[0] === "node" && end > 0 ? words.slice(1, end) : undefined;
}

test("the suite's, the benchmarks' and the command line's processes run PGlite without wasm code GC", async () => {
  // This very file runs in a process the test runner started with package.json's test script's flags.
  assert.deepEqual(
    WASM_NODE_FLAGS.filter((flag) => !process.execArgv.includes(flag)),
    [],
    `this test process lacks flags: ${process.execArgv.join(" ")}`,
  );
  for (const name of ["test", "bench", "guichet"]) {
    const flags = await nodeFlagsOfScript(name);
    assert.ok(flags, `npm run ${name} starts node with --import tsx`);
    assert.deepEqual(
      WASM_NODE_FLAGS.filter((flag) => !flags.includes(flag)),
      [],
      `npm run ${name}'s flags: ${flags.join(" ")}`,
    );
  }
  assert.ok(SERVER_NODE_FLAGS.some((flag) => flag === "--no-wasm-code-gc"));
});

test("the benchmarks, which run the server in their own process, run it with the server's flags", async () => {
  const flags = await nodeFlagsOfScript("bench");
  assert.ok(flags);
  assert.deepEqual(missingNodeFlags(flags), []);
});

test("the server's environment gives glibc two arenas, under an operator's own setting", () => {
  assert.equal(serverEnvironment({ PATH: "/usr/bin" }).MALLOC_ARENA_MAX, "2");
  assert.equal(serverEnvironment({ PATH: "/usr/bin" }).PATH, "/usr/bin");
  assert.equal(serverEnvironment({ MALLOC_ARENA_MAX: "4" }).MALLOC_ARENA_MAX, "4");
});
