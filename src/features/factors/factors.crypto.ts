// The secrets of second factors: an authenticator app's secret sealed at rest, recovery codes drawn, written and hashed;
// the sealing itself serves any secret kept at rest (the OpenID Provider's signing keys too).
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM: iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext. The purpose is authenticated with it (additional data), so
 * a ciphertext copied into another column, onto another account or under another key id does not open.
 */
export function seal(key: Buffer, purpose: string, plaintext: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the key is not the one that sealed it, or when the bytes or the purpose were changed. */
export function unseal(key: Buffer, purpose: string, sealed: Buffer): string {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    "utf8",
  );
}

/** The sealed secret is bound to its user: a ciphertext copied onto another account does not open. */
function boundTo(userId: number): string {
  return `guichet:totp:${userId}`;
}

export function sealSecret(key: Buffer, userId: number, secret: string): Buffer {
  return seal(key, boundTo(userId), secret);
}

/** Throws when the key is not the one that sealed it, or when the bytes or the user were changed. */
export function openSecret(key: Buffer, userId: number, sealed: Buffer): string {
  return unseal(key, boundTo(userId), sealed);
}

/** The secret as a person types it into an app by hand: groups of four. */
export function groupsOfFour(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/** Crockford's base 32: no I, L, O or U, so that a code read aloud or copied by hand is not misread. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_LENGTH = 16;

/** A recovery code: 16 symbols of 5 bits (80 bits), written XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < RECOVERY_LENGTH; i++) code += CROCKFORD[randomInt(CROCKFORD.length)];
  return code.match(/.{4}/g)?.join("-") ?? code;
}

/** What was typed, as a recovery code's 16 symbols (case, spaces and dashes ignored; O read as 0, I and L as 1); or null. */
export function normalizeRecoveryCode(typed: string): string | null {
  const symbols = typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (symbols.length !== RECOVERY_LENGTH) return null;
  for (const symbol of symbols) if (!CROCKFORD.includes(symbol)) return null;
  return symbols;
}

export function hashRecoveryCode(normalized: string): Buffer {
  return createHash("sha256").update(`guichet:recovery:${normalized}`).digest();
}

/** What was typed, as an authenticator app's code (spaces ignored), or null when it is not six digits. */
export function normalizeTotpCode(typed: string): string | null {
  const digits = typed.replace(/\s/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}
