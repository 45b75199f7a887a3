// Checks and normalises the fields of a user profile; every problem becomes a message next to its field.

import { CONTROL_CHARACTERS } from "../../util/text.js";
import type { FieldErrors } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import type { ProfileRow } from "./accounts.queries.js";

export const PROFILE_FIELDS = [
  "civility",
  "firstName",
  "lastName",
  "jobTitle",
  "phone",
  "phoneExtension",
  "email",
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type ProfileInput = Record<ProfileField, string>;

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

/** "4186912005", "(418) 691-2005", "1-418-691-2005" all become "418 691-2005". */
export function normalizePhone(value: string): string | null {
  const digits = value.replace(/[\s().+-]/g, "");
  if (!/^\d+$/.test(digits)) return null;
  const local = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  if (local.length !== 10) return null;
  return `${local.slice(0, 3)} ${local.slice(3, 6)}-${local.slice(6)}`;
}

export type ProfileValidation =
  | { ok: true; profile: ProfileRow }
  | { ok: false; errors: FieldErrors<ProfileField> };

export function validateProfile(input: ProfileInput): ProfileValidation {
  const errors: FieldErrors<ProfileField> = {};
  /** required: the message that asks for the field when it is empty (« Entrez le prénom. »); null when optional. */
  const text = (name: ProfileField, max: number, required: MessageKey | null): string | null => {
    const value = input[name];
    if (value === "") {
      if (required) errors[name] = { key: required };
      return null;
    }
    if ([...value].length > max) errors[name] = { key: "field.tooLong", params: { max } };
    if (CONTROL_CHARACTERS.test(value)) errors[name] = { key: "field.controlCharacters" };
    return value;
  };
  const civility = input.civility === "" ? null : input.civility;
  if (civility !== null && civility !== "M." && civility !== "Mme")
    errors.civility = { key: "field.civility" };
  const firstName = text("firstName", 100, "field.required.firstName") ?? "";
  const lastName = text("lastName", 100, "field.required.lastName") ?? "";
  const jobTitle = text("jobTitle", 100, null);
  const phoneText = text("phone", 30, null);
  const phone = phoneText === null ? null : normalizePhone(phoneText);
  if (phoneText !== null && phone === null && !errors.phone) errors.phone = { key: "field.phone" };
  const phoneExtension = input.phoneExtension === "" ? null : input.phoneExtension;
  if (phoneExtension !== null && !/^\d{1,6}$/.test(phoneExtension))
    errors.phoneExtension = { key: "field.extension" };
  const email = text("email", 254, "field.required.email") ?? "";
  if (email !== "" && !errors.email && !EMAIL.test(email)) errors.email = { key: "field.email" };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    profile: {
      civility: civility === "M." || civility === "Mme" ? civility : null,
      firstName,
      lastName,
      jobTitle,
      phone,
      phoneExtension,
      email: email.toLowerCase(),
    },
  };
}
