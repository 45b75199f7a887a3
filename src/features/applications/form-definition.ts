// A program's form as data: sections of typed fields with their rules, labels in French and English. The server
// validates every submission against it; adding a program is adding a definition, never code.
import { isDay } from "../../util/days.js";
import { hasControlCharacters } from "../../util/text.js";
import type { FieldError, FieldErrors } from "../../web/forms.js";
import type { Locale } from "../../web/messages.js";

export type Text = Record<Locale, string>;

export type FieldType = "text" | "textarea" | "money" | "date" | "email" | "phone" | "pdf";

export type FieldDefinition = {
  name: string;
  type: FieldType;
  label: Text;
  hint?: Text;
  /** Needed to transmit; a draft may leave it empty. */
  required?: boolean;
  maxLength?: number;
  /** money: not more than this other money field (e.g. the amount requested ≤ the estimated cost). */
  atMost?: string;
  /** date: not before this other date field. */
  notBefore?: string;
  /** pdf: how many files at most. */
  maxFiles?: number;
};

export type SectionDefinition = { id: string; title: Text; fields: FieldDefinition[] };

export type FormDefinition = { sections: SectionDefinition[] };

/** What an application stores: text as given (trimmed), money as integer cents, dates as YYYY-MM-DD. */
export type FormValue = string | number;
export type FormData = Record<string, FormValue>;

const NAME = /^[a-z][a-z0-9_]{0,39}$/;
const TYPES: readonly FieldType[] = ["text", "textarea", "money", "date", "email", "phone", "pdf"];
const MAX_CENTS = 1_000_000_000_000; // 10 milliards de dollars

/** A definition refused before it is stored, with its reason in French for the ministry staff who load it. */
export class InvalidDefinition extends Error {}

/** Checks a definition before it is stored: names unique and well formed, references to existing fields. */
export function checkDefinition(value: unknown): FormDefinition {
  const fail = (why: string): never => {
    throw new InvalidDefinition(`définition de formulaire invalide : ${why}`);
  };
  if (typeof value !== "object" || value === null || !Array.isArray(Reflect.get(value, "sections")))
    fail("la liste « sections » manque");
  const definition = value as FormDefinition;
  const names = new Set<string>();
  for (const section of definition.sections) {
    if (typeof section.id !== "string" || !section.title?.fr || !section.title?.en)
      fail("chaque section doit avoir un « id » et un titre en français et en anglais");
    if (!Array.isArray(section.fields) || section.fields.length === 0)
      fail(`la section ${section.id} n'a aucun champ`);
    for (const field of section.fields) {
      if (typeof field.name !== "string" || !NAME.test(field.name))
        fail(`nom de champ invalide : ${String(field.name)} (minuscules, chiffres et _, 40 au plus)`);
      if (names.has(field.name)) fail(`le champ ${field.name} est défini deux fois`);
      names.add(field.name);
      if (!TYPES.includes(field.type))
        fail(`le champ ${field.name} a un type inconnu : ${String(field.type)}`);
      if (!field.label?.fr || !field.label?.en)
        fail(`le champ ${field.name} doit avoir un libellé en français et en anglais`);
    }
  }
  if (!names.has("title")) fail("un champ nommé « title » (le titre du projet) est obligatoire");
  for (const field of fieldsOf(definition)) {
    if (field.atMost && fieldsOf(definition).find((f) => f.name === field.atMost)?.type !== "money")
      fail(`« atMost » du champ ${field.name} doit nommer un champ de montant`);
    if (field.notBefore && fieldsOf(definition).find((f) => f.name === field.notBefore)?.type !== "date")
      fail(`« notBefore » du champ ${field.name} doit nommer un champ de date`);
  }
  return definition;
}

export function fieldsOf(definition: FormDefinition): FieldDefinition[] {
  return definition.sections.flatMap((section) => section.fields);
}

/**
 * Dollars and cents as a clerk types them: « 1 234,56 », « 1234.56 », « 1 234 $ ». Never a float: the digits are
 * read as integers. Refused: negative amounts, letters, more than two decimals.
 */
export function parseMoney(
  raw: string,
): { cents: number } | { error: "money.invalid" | "money.negative" | "money.decimals" | "money.tooLarge" } {
  const text = raw.replace(/[\s\u00a0\u202f]/g, "").replace(/\$$/, "");
  if (/^-/.test(text)) return { error: "money.negative" };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(text);
  if (!match) return { error: "money.invalid" };
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > 2) return { error: "money.decimals" };
  if (whole.length > 13) return { error: "money.tooLarge" };
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return { error: "money.tooLarge" };
  return { cents };
}

/** « 1 234,56 $ » in French, « $1,234.56 » in English, from integer cents. */
export function formatMoney(cents: number, locale: Locale): string {
  const dollars = Math.trunc(cents / 100);
  const rest = String(cents % 100).padStart(2, "0");
  if (locale === "fr") return `${dollars.toLocaleString("fr-CA").replace(/\s/g, "\u00a0")},${rest}\u00a0$`;
  return `$${dollars.toLocaleString("en-CA")}.${rest}`;
}

/** Money as the form shows it again, in a form the server reads back: « 1 234,56 », or « 1 234.56 » in English. */
export function moneyInput(cents: number, locale: Locale): string {
  const french = formatMoney(cents, "fr").replace(/\u00a0\$$/, "");
  return locale === "fr" ? french : french.replace(",", ".");
}

/** The stored data as the form's fields show it, and as they are read back to validate a transmission. */
export function inputValues(form: FormDefinition, data: FormData, locale: Locale): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fieldsOf(form)) {
    const value = data[field.name];
    if (value === undefined) continue;
    values[field.name] =
      field.type === "money" && typeof value === "number" ? moneyInput(value, locale) : String(value);
  }
  return values;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type Validation = { data: FormData; errors: FieldErrors };

/**
 * Reads a submission against the definition. For a draft, empty required fields are allowed; for transmission
 * (complete = true) they are errors. Every other rule holds for both. Unknown fields are ignored; pdf fields are
 * handled by the attachment upload, and only counted here (attachmentCounts) when complete.
 */
export function validateSubmission(
  definition: FormDefinition,
  raw: Record<string, string>,
  options: { complete: boolean; attachmentCounts?: Record<string, number>; locale?: Locale },
): Validation {
  const locale = options.locale ?? "fr";
  const data: FormData = {};
  const errors: FieldErrors = {};
  const fail = (field: FieldDefinition, error: FieldError) => {
    errors[field.name] = { key: error.key, params: { ...error.params } };
  };
  for (const field of fieldsOf(definition)) {
    if (field.type === "pdf") {
      const count = options.attachmentCounts?.[field.name] ?? 0;
      if (options.complete && field.required && count === 0)
        fail(field, { key: "applications.field.fileRequired" });
      continue;
    }
    const value = (raw[field.name] ?? "").trim();
    if (value === "") {
      if (options.complete && field.required)
        fail(field, { key: "applications.field.required", params: { label: field.label[locale] } });
      continue;
    }
    if (hasControlCharacters(value, { multiline: field.type === "textarea" })) {
      fail(field, { key: "field.controlCharacters" });
      continue;
    }
    const maxLength = field.maxLength ?? (field.type === "textarea" ? 5000 : 200);
    if ([...value].length > maxLength) {
      fail(field, { key: "field.tooLong", params: { max: maxLength } });
      continue;
    }
    switch (field.type) {
      case "money": {
        const money = parseMoney(value);
        if ("error" in money) fail(field, { key: `applications.${money.error}` });
        else data[field.name] = money.cents;
        break;
      }
      case "date":
        if (isDay(value)) data[field.name] = value;
        else fail(field, { key: "applications.field.date" });
        break;
      case "email":
        if (EMAIL.test(value) && value.length <= 254) data[field.name] = value;
        else fail(field, { key: "field.email" });
        break;
      case "phone": {
        const digits = value.replace(/\D/g, "");
        if (digits.length === 10) data[field.name] = value;
        else fail(field, { key: "field.phone" });
        break;
      }
      default:
        data[field.name] = value;
    }
  }
  // Rules between fields, once each field is valid on its own.
  for (const field of fieldsOf(definition)) {
    const value = data[field.name];
    if (value === undefined || errors[field.name]) continue;
    if (field.atMost) {
      const limit = data[field.atMost];
      if (typeof limit === "number" && typeof value === "number" && value > limit) {
        const other = fieldsOf(definition).find((f) => f.name === field.atMost);
        fail(field, {
          key: "applications.field.atMost",
          params: { other: other?.label[locale] ?? field.atMost },
        });
      }
    }
    if (field.notBefore) {
      const start = data[field.notBefore];
      if (typeof start === "string" && typeof value === "string" && value < start) {
        const other = fieldsOf(definition).find((f) => f.name === field.notBefore);
        fail(field, {
          key: "applications.field.notBefore",
          params: { other: other?.label[locale] ?? field.notBefore },
        });
      }
    }
  }
  return { data, errors };
}
