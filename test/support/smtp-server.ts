// A real SMTP server for tests (nodemailer's smtp-server, on 127.0.0.1, port 0): keeps each message's raw text, and
// can answer the first N deliveries with a temporary refusal (451), as a busy mail server would.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type SmtpSink = { port: number; messages: string[]; close(): Promise<void> };

export async function startSmtpSink(options: { failFirst?: number } = {}): Promise<SmtpSink> {
  const messages: string[] = [];
  let failuresLeft = options.failFirst ?? 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    // Plain text on loopback: nodemailer would otherwise upgrade to TLS with smtp-server's self-signed certificate.
    disabledCommands: ["STARTTLS", "AUTH"],
    // close() waits for open connections this long before ending them; the tests close after their clients.
    closeTimeout: 1000,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          return callback(Object.assign(new Error("try again later"), { responseCode: 451 }));
        }
        messages.push(Buffer.concat(chunks).toString("utf8"));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address: AddressInfo | string | null = server.server.address();
  if (address === null || typeof address === "string") throw new Error("the SMTP server has no TCP address");
  return {
    port: address.port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
