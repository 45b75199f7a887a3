// Reads and checks a procuration form: name, end date, ministries, and for each one all tasks or chosen services.
import type { Day } from "../../db/schema.js";
import { addDays, addYears, formatDay, isDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import type { Locale } from "../../web/messages.js";
import type { ScopeRow } from "./procurations.queries.js";

export type ScopeForm = {
  name: string;
  endDate: string;
  ministryIds: number[];
  restricted: Map<number, boolean>;
  serviceIds: Map<number, number[]>;
};

export type MinistryChoice = { id: number; name: string; services: { id: number }[] };

function list(body: unknown, name: string): string[] {
  const value: unknown = typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined;
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

function text(body: unknown, name: string): string {
  const [first] = list(body, name);
  return (first ?? "").trim();
}

function ids(values: string[]): number[] {
  return [...new Set(values.filter((v) => /^\d{1,15}$/.test(v)).map(Number))];
}

/** Field names: ministeres (checkboxes), portee_<id> ("toutes" or "restreinte"), services_<id> (checkboxes). */
export function readScopeForm(body: unknown): ScopeForm {
  const ministryIds = ids(list(body, "ministeres"));
  const restricted = new Map<number, boolean>();
  const serviceIds = new Map<number, number[]>();
  for (const id of ministryIds) {
    restricted.set(id, text(body, `portee_${id}`) === "restreinte");
    serviceIds.set(id, ids(list(body, `services_${id}`)));
  }
  return { name: text(body, "nom"), endDate: text(body, "dateFin"), ministryIds, restricted, serviceIds };
}

export function readUserIds(body: unknown): number[] {
  return ids(list(body, "utilisateurs"));
}

export type ScopeValidation =
  | { ok: true; name: string; endDate: Day; scope: ScopeRow[] }
  | { ok: false; errors: FieldErrors };

/**
 * The end date must lie in the future and at most maxYears ahead; at least one ministry; with restriction, at least
 * one of that ministry's services. Ids that are not offered (a forged form) count as not chosen.
 */
export function validateScope(
  form: ScopeForm,
  options: {
    today: Day;
    maxYears: number;
    ministries: MinistryChoice[];
    nameRequired: boolean;
    locale: Locale;
  },
): ScopeValidation {
  const errors: FieldErrors = {};
  if (options.nameRequired && form.name === "") errors.nom = { key: "field.required.procurationName" };
  else if ([...form.name].length > 200) errors.nom = { key: "field.tooLong", params: { max: 200 } };

  const latest = addYears(options.today, options.maxYears);
  if (form.endDate === "") errors.dateFin = { key: "procurations.endDate.required" };
  else if (!isDay(form.endDate)) errors.dateFin = { key: "procurations.endDate.invalid" };
  else if (form.endDate <= options.today) {
    errors.dateFin = {
      key: "procurations.endDate.past",
      params: { first: formatDay(addDays(options.today, 1), options.locale) },
    };
  } else if (form.endDate > latest) {
    errors.dateFin = {
      key: "procurations.endDate.tooFar",
      params: { max: formatDay(latest, options.locale), years: options.maxYears },
    };
  }

  const offered = new Map(options.ministries.map((m) => [m.id, m]));
  const scope: ScopeRow[] = [];
  for (const ministryId of form.ministryIds) {
    const ministry = offered.get(ministryId);
    if (!ministry) continue;
    const restricted = form.restricted.get(ministryId) ?? false;
    const allowed = new Set(ministry.services.map((s) => s.id));
    const serviceIds = (form.serviceIds.get(ministryId) ?? []).filter((id) => allowed.has(id));
    if (restricted && serviceIds.length === 0) {
      errors[`services_${ministryId}`] = {
        key: "procurations.services.required",
        params: { ministry: ministry.name },
      };
    }
    scope.push({ ministryId, restricted, serviceIds: restricted ? serviceIds : [] });
  }
  if (scope.length === 0) errors.ministeres = { key: "procurations.ministries.required" };

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, name: form.name, endDate: form.endDate, scope };
}

/** Back from a validated scope to the form, to carry it across the summary step in hidden fields. */
export function scopeToForm(name: string, endDate: string, scope: readonly ScopeRow[]): ScopeForm {
  return {
    name,
    endDate,
    ministryIds: scope.map((s) => s.ministryId),
    restricted: new Map(scope.map((s) => [s.ministryId, s.restricted])),
    serviceIds: new Map(scope.map((s) => [s.ministryId, s.serviceIds])),
  };
}

export const EMPTY_SCOPE_FORM: ScopeForm = {
  name: "",
  endDate: "",
  ministryIds: [],
  restricted: new Map(),
  serviceIds: new Map(),
};
