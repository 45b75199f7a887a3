// A CSV file sent as a download (« Qui a accès », « Journal des accès »): never cached, named in ASCII and in UTF-8.
import type { FastifyReply } from "fastify";

export function sendCsv(reply: FastifyReply, name: string, body: string): FastifyReply {
  const ascii = name.normalize("NFD").replace(/[^A-Za-z0-9._-]+/g, "-");
  return reply
    .type("text/csv; charset=utf-8")
    .header("cache-control", "no-store")
    .header(
      "content-disposition",
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(body);
}
