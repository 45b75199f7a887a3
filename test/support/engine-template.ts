// A new embedded engine's data directory, kept on disk so that test processes start their engine without initdb.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createEngine } from "../../src/db/database.js";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Named after PGlite's version: another version makes its own. */
async function templatePath(): Promise<string> {
  const manifest: unknown = JSON.parse(
    await readFile(join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json"), "utf8"),
  );
  const version =
    typeof manifest === "object" && manifest !== null ? String(Reflect.get(manifest, "version")) : "unknown";
  return join(ROOT, "node_modules", ".cache", "guichet", `pglite-${version}-initdb.tar`);
}

/**
 * A new in-memory engine. Its data directory starts from the one initdb made for an earlier process, as PGlite dumps
 * it (about 40 MB): about half a second instead of about three, and each test process starts one. Without that file,
 * the engine runs initdb, then its directory is dumped before any use and written under a temporary name then renamed,
 * so that processes starting together never read half a file (two making it at once both write a whole one).
 */
export async function newEngineFromTemplate(): Promise<PGlite> {
  const path = await templatePath();
  try {
    return await createEngine(undefined, new Blob([await readFile(path)]));
  } catch (error) {
    if (!(error instanceof Error && Reflect.get(error, "code") === "ENOENT")) throw error;
  }
  const engine = await createEngine();
  const dump = await engine.dumpDataDir("none");
  await mkdir(join(path, ".."), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, Buffer.from(await dump.arrayBuffer()));
  await rename(temporary, path).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
  return engine;
}
