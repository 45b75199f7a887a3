// Reads what the outbox worker delivered as .eml files, parsed, to find links as a person would in their mailbox.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { simpleParser } from "mailparser";

export type ReceivedMail = { file: string; to: string; subject: string; text: string };

export async function readMailbox(dir: string): Promise<ReceivedMail[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith(".eml")).sort();
  } catch {
    return [];
  }
  const mails: ReceivedMail[] = [];
  for (const file of files) {
    const parsed = await simpleParser(await readFile(join(dir, file)));
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
    mails.push({ file, to, subject: parsed.subject ?? "", text: parsed.text ?? "" });
  }
  return mails;
}

export function linkIn(text: string): string {
  const match = /https?:\/\/\S+\/activation\/[A-Za-z0-9_-]{43}/.exec(text);
  if (!match) throw new Error(`no activation link in: ${text}`);
  return match[0];
}
