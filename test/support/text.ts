// Small text helpers the tests share: one-time keys, regular-expression and HTML escaping, HTML decoding.
import { randomBytes } from "node:crypto";

/** A well-formed one-time form key, as the server would issue. */
export function randomKey(): string {
  return randomBytes(32).toString("base64url");
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Text as the server's templates escape it, to find it in a page's HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
