// Child process of readOffline: runs the compiled queries it reads on stdin against the configured database, prints rows as JSON.
import { CompiledQuery } from "kysely";
import { openConfiguredDatabase } from "../../src/bootstrap.js";
import { loadConfig } from "../../src/config.js";

type Job = { name: string; sql: string; parameters: unknown[] };

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
const jobs: Job[] = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const database = await openConfiguredDatabase(loadConfig(process.env));
const results: Record<string, unknown[]> = {};
for (const job of jobs) {
  results[job.name] = (await database.db.executeQuery(CompiledQuery.raw(job.sql, job.parameters))).rows;
}
// The process ends without closing the engine: freeing a WebAssembly engine has aborted V8 (see test/support/app.ts).
process.stdout.write(JSON.stringify(results), () => process.exit(0));
