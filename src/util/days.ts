// Calendar days ('YYYY-MM-DD') in Québec's time zone: a procuration valid "until March 1" is valid all that day in Montréal.
import type { Day } from "../db/schema.js";

export const TIME_ZONE = "America/Montreal";

const dayFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

const MINUTE_MS = 60_000;
/** The last minute asked about and its day: every page asks, and formatting in a time zone is not cheap. */
let lastMinute = Number.NaN;
let lastDay: Day = "";

/** The calendar day it is in Montréal at this instant. */
export function montrealDay(at: Date): Day {
  // Montréal's offset from UTC has been whole hours since 1884, so a minute never straddles two days.
  const minute = Math.floor(at.getTime() / MINUTE_MS);
  if (minute !== lastMinute) {
    lastDay = dayFormat.format(at);
    lastMinute = minute;
  }
  return lastDay;
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(value: string): value is Day {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function addDays(day: Day, days: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function addYears(day: Day, years: number): Day {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC((y ?? 0) + years, (m ?? 1) - 1, d ?? 1));
  // 29 February plus a year is 28 February, not 1 March.
  if (date.getUTCDate() !== d) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

/** Whole days from a to b (positive when b is later). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

const longDay = {
  fr: new Intl.DateTimeFormat("fr-CA", { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" }),
  en: new Intl.DateTimeFormat("en-CA", { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" }),
};

/** "1 mars 2027" or "March 1, 2027". A formatter is made once per language: making one costs more than using it. */
export function formatDay(day: Day, locale: "fr" | "en"): string {
  return longDay[locale].format(new Date(`${day}T00:00:00Z`));
}

const moment = {
  fr: new Intl.DateTimeFormat("fr-CA", { timeZone: TIME_ZONE, dateStyle: "long", timeStyle: "short" }),
  en: new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, dateStyle: "long", timeStyle: "short" }),
};

/** « 22 novembre 2026 à 10 h 00 », in Québec's time. */
export function formatMoment(at: Date, locale: "fr" | "en"): string {
  return moment[locale].format(at);
}

/**
 * The Montréal day of an instant other than now (a deadline shown on every page), remembered apart from montrealDay's
 * one minute, so that asking about both on each request does not make either format again.
 */
const dayOfInstant = new Map<number, Day>();
export function montrealDayOf(at: Date): Day {
  const known = dayOfInstant.get(at.getTime());
  if (known !== undefined) return known;
  if (dayOfInstant.size >= 10_000) dayOfInstant.clear();
  const day = dayFormat.format(at);
  dayOfInstant.set(at.getTime(), day);
  return day;
}
