// Sizes as people read them: « 1,2 Mo » in French, « 1.2 MB » in English (units of 1024, as the 100 Mo limit).
import type { Locale, Translate } from "../../web/messages.js";

const UNITS = ["size.bytes", "size.kilobytes", "size.megabytes", "size.gigabytes"] as const;

export function formatSize(bytes: number, t: Translate, locale: Locale): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const n = new Intl.NumberFormat(locale === "fr" ? "fr-CA" : "en-CA", {
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
  return t(UNITS[unit] ?? "size.bytes", { n });
}

/** A whole number with the locale's digit grouping: « 1 048 576 ». */
export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === "fr" ? "fr-CA" : "en-CA").format(value);
}
