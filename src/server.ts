// Starts the portal: reads the configuration, migrates, loads demo data on an empty database, listens.
import { buildApp } from "./app.js";
import { cleanUpFiles, openConfiguredDatabase, prepareDatabase } from "./bootstrap.js";
import { loadConfig } from "./config.js";
import { formatDemoAccounts, seedDemo } from "./features/demo/demo.seed.js";
import { startJobs } from "./jobs.js";
import { missingNodeFlags } from "./node-flags.js";
import { arrive } from "./server-presence.js";
import { openFileStore } from "./storage/index.js";

const config = loadConfig();
const database = await openConfiguredDatabase(config);
await prepareDatabase(database);
const presence = await arrive(config.databaseUrl, {
  onLost: (error) => process.stderr.write(`Guichet: the presence connection was lost (${error.message})\n`),
  onBack: () => process.stderr.write("Guichet: the presence connection is back\n"),
});
const cleaned = await cleanUpFiles(config, database, presence.alone, new Date());
await presence.join();
const app = await buildApp({ config, database });
if (config.seedDemo) {
  const store = openFileStore(config);
  const accounts = await seedDemo(
    database.db,
    app.guichet.services.hasher,
    new Date(),
    store,
    config.mfaEncryptionKey,
  ).finally(() => store.close());
  if (accounts.length > 0) process.stdout.write(`\n${formatDemoAccounts(accounts)}\n\n`);
}
const missing = missingNodeFlags();
if (missing.length > 0)
  app.log.warn({ missing }, "started without the node flags of `npm start`: large uploads will be slower");
if (cleaned.temporary + cleaned.orphans > 0) app.log.info(cleaned, "unrecorded files removed at start");
if (!presence.alone)
  app.log.info("other servers are running: only the unrecorded files over an hour old were removed at start");
app.guichet.outbox.start(config.outboxPollMs);
const stopJobs = startJobs(app);

let closing = false;
/**
 * Stops taking connections, lets the requests in flight finish (Fastify answers 503 to a new request on a kept-alive
 * connection meanwhile), waits for a run of the jobs so that it releases its lease, then leaves and closes the
 * database. A request that never ends does not keep the process: past SHUTDOWN_SECONDS it exits anyway, saying so.
 */
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal, shutdownSeconds: config.shutdownSeconds }, "shutting down");
  setTimeout(() => {
    app.log.error(
      { signal, shutdownSeconds: config.shutdownSeconds },
      "shutdown deadline passed with work still in flight: exiting anyway",
    );
    process.exit(1);
  }, config.shutdownSeconds * 1000);
  await stopJobs();
  await app.close();
  await presence.leave().catch(() => undefined);
  await database.close();
  app.log.info({ signal }, "shut down cleanly");
  process.exit(0);
}

process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

await app.listen({ port: config.port, host: config.host });
process.stdout.write(
  `Guichet écoute sur ${config.publicUrl} (base de données : ${database.kind}, courriel : ${config.smtpUrl ? "SMTP" : config.mailDir})\n`,
);
