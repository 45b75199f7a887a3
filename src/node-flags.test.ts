import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { missingNodeFlags, SERVER_NODE_FLAGS } from "./node-flags.js";

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
