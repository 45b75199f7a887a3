// GET /sante: is the portal up, and does its database answer (liveness)? GET /sante/pret: may it take traffic, its
// migrations applied and every service it is configured with answering (readiness)?
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { openFileStore } from "../../storage/index.js";
import { readinessCheck } from "./readiness.js";

const TIMEOUT_MS = 2000;

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get("/sante", { config: { rateLimit: false } }, async (_request, reply) => {
    const { database } = app.guichet;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        sql`select 1`.execute(database.db),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("database timeout")), TIMEOUT_MS);
        }),
      ]);
      return reply.header("cache-control", "no-store").send({ status: "ok", database: database.kind });
    } catch (error) {
      app.log.error({ err: error }, "health check failed");
      return reply
        .status(503)
        .header("cache-control", "no-store")
        .send({ status: "unavailable", database: database.kind });
    } finally {
      clearTimeout(timer);
    }
  });

  // The load benchmark's reference: the cheapest answer the server gives, through the same proxy as the real pages.
  if (app.guichet.config.benchHelloRoute)
    app.get("/banc/bonjour", { config: { rateLimit: false } }, async (_request, reply) =>
      reply.header("cache-control", "no-store").type("text/plain").send("hello world"),
    );

  const store = openFileStore(app.guichet.config);
  app.addHook("onClose", async () => store.close());
  const readiness = readinessCheck({
    database: app.guichet.database,
    store,
    redis: app.guichet.redis,
    onError: (check, error) => app.log.warn({ err: error, check }, "readiness check failed"),
  });
  app.get("/sante/pret", { config: { rateLimit: false } }, async (_request, reply) => {
    const { ready, notReady, checks } = await readiness();
    return reply
      .status(ready ? 200 : 503)
      .header("cache-control", "no-store")
      .send(ready ? { status: "ready", checks } : { status: "not_ready", notReady, checks });
  });
}
