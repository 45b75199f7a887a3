// GET /sante: is the portal up, and does its database answer?
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";

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
}
