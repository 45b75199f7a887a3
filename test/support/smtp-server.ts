// A real SMTP server for tests (nodemailer's smtp-server, on 127.0.0.1): keeps each message's raw text, and can answer
// deliveries with a temporary refusal (451), as a busy mail server would: the first N, or whichever `refuse` says. On
// a port of its own (0), or on a given one, so that a test can stop it and start another in its place.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type SmtpSink = { port: number; messages: string[]; close(): Promise<void> };

export type SmtpSinkOptions = {
  failFirst?: number;
  port?: number;
  /** Where the messages go: a list shared by the servers that take each other's place on one port. */
  messages?: string[];
  /** Asked at each recipient and at the end of each message's data: a 4xx code to refuse it with, or undefined. */
  refuse?: (stage: "rcpt" | "data") => number | undefined;
  /** Told of each message kept, after it is kept and before the server answers 250. */
  onMessage?: (raw: string) => void;
};

const refusal = (code: number) => Object.assign(new Error("try again later"), { responseCode: code });

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages = options.messages ?? [];
  let failuresLeft = options.failFirst ?? 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    // Plain text on loopback: nodemailer would otherwise upgrade to TLS with smtp-server's self-signed certificate.
    disabledCommands: ["STARTTLS", "AUTH"],
    // close() waits for open connections this long before ending them; the tests close after their clients.
    closeTimeout: 1000,
    onRcptTo(_address, _session, callback) {
      const code = options.refuse?.("rcpt");
      callback(code === undefined ? undefined : refusal(code));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          return callback(refusal(451));
        }
        const code = options.refuse?.("data");
        if (code !== undefined) return callback(refusal(code));
        const raw = Buffer.concat(chunks).toString("utf8");
        messages.push(raw);
        options.onMessage?.(raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address: AddressInfo | string | null = server.server.address();
  if (address === null || typeof address === "string") throw new Error("the SMTP server has no TCP address");
  return {
    port: address.port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
