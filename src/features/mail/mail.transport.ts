// Delivers one message: over SMTP when SMTP_URL is set, otherwise as an .eml file under the mail folder.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";

export type Message = { id: number; from: string; to: string; subject: string; text: string; date: Date };

export interface MailTransport {
  readonly kind: "smtp" | "file";
  send(message: Message): Promise<void>;
  close(): void;
}

/**
 * Whether a failed send says nothing about the message, only that the server could not be reached or would not talk:
 * no connection, no greeting or a connection cut (nodemailer's `CONN` stage), or 421, « service not available ». The
 * next message would fare no better, and the message is not to blame.
 */
export function serverUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return Reflect.get(error, "command") === "CONN" || Reflect.get(error, "responseCode") === 421;
}

function mailOptions(message: Message) {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    date: message.date,
    // One id per outbox row: a message sent twice after a crash is recognisable as the same one.
    messageId: `<outbox-${message.id}@guichet>`,
  };
}

/**
 * How long the SMTP client waits (ms) to connect, for the greeting, and for each answer, instead of nodemailer's 2 min,
 * 30 s and 10 min: a server that hangs is then found unreachable (the run stops, mail waits) rather than holding a
 * mail past the outbox's 60-s lease, when another worker may claim it. SMTP_URL's parameters of these names override.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/**
 * One SMTP connection kept open and reused for the mails that follow (nodemailer's pool, one connection: the worker
 * sends a batch's mails one after the other), instead of a connection, greeting and EHLO per mail: against the test
 * server on loopback, about 100 ms a mail before, 2 to 4 ms after. A connection the server closes is opened again
 * for the next mail; one that fails to open fails the mail as before (nodemailer's CONN stage).
 */
export function smtpTransport(url: string, timeouts = SMTP_TIMEOUTS): MailTransport {
  const transporter = nodemailer.createTransport({ url, pool: true, maxConnections: 1, ...timeouts });
  return {
    kind: "smtp",
    async send(message) {
      await transporter.sendMail(mailOptions(message));
    },
    close: () => transporter.close(),
  };
}

/** Each outbox row becomes one file named by its id, so delivering a row twice leaves one file. */
export function fileTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    kind: "file",
    async send(message) {
      const info = await composer.sendMail(mailOptions(message));
      await mkdir(dir, { recursive: true });
      const name = `${String(message.id).padStart(8, "0")}.eml`;
      const temporary = join(dir, `.${name}.tmp`);
      await writeFile(temporary, info.message);
      await rename(temporary, join(dir, name));
    },
    close: () => undefined,
  };
}
