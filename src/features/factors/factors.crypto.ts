// The secrets of second factors: an authenticator app's secret sealed at rest, recovery codes drawn, written and hashed.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The sealed secret is bound to its user: a ciphertext copied onto another account does not open. */
function boundTo(userId: number): Buffer {
  return Buffer.from(`guichet:totp:${userId}`);
}

/** AES-256-GCM: iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext. */
export function sealSecret(key: Buffer, userId: number, secret: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(boundTo(userId));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the key is not the one that sealed it, or when the bytes or the user were changed. */
export function openSecret(key: Buffer, userId: number, sealed: Buffer): string {
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(boundTo(userId));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    "utf8",
  );
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
