// Reads and checks the form of an external online service and its OpenID client: the rule every URI follows (https,
// or http on localhost with a port for development; an exact string, no wildcard, no fragment), the lists of URIs,
// the name, code, method and assurance.
import type { ClientAuthMethod, MinAssurance } from "../../db/schema.js";
import { hasControlCharacters } from "../../util/text.js";
import type { FieldError, FieldErrors } from "../../web/forms.js";
import { hasErrors, readFields } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";

export const URI_MAX = 2000;
export const URIS_MAX = 10;
export const NAME_MAX = 200;
export const CODE_MAX = 40;

/** Field names as the forms send them (French, as the pages). */
export const FIELDS = [
  "code",
  "nom",
  "categorie",
  "adresse",
  "redirections",
  "retours",
  "deconnexion",
  "methode",
  "jwks",
  "assurance",
] as const;
export type Field = (typeof FIELDS)[number];
export type ServiceForm = Record<Field, string>;

export const AUTH_METHODS: readonly ClientAuthMethod[] = ["client_secret_basic", "private_key_jwt"];
export const ASSURANCES: readonly MinAssurance[] = ["mfa", "password"];
/** The catalogue's categories, as the form spells them. */
export const CATEGORIES = { infrastructures: "infrastructures", autres: "other" } as const;
export type CategoryParam = keyof typeof CATEGORIES;

/** Why a URI is refused; null when it follows the rule. */
export type UriRuleBreak =
  | "tooLong"
  | "controlCharacters"
  | "spaces"
  | "wildcard"
  | "fragment"
  | "notUrl"
  | "scheme"
  | "userInfo";

/** What http may reach: the developer's own machine, on an explicit port. */
const LOCAL_HTTP = /^http:\/\/(localhost|127\.0\.0\.1):[0-9]{1,5}(?=[/?]|$)/i;
/** https with an authority typed out: a lenient parser would read « https:/x » or « https:\\x » as https://x. */
const HTTPS = /^https:\/\/[^/?#\\]/i;

/**
 * The rule of every URI a client registers (redirect, post-logout, back-channel logout, JWKS) and of the service's
 * own address. The URI is kept exactly as typed, since the provider compares redirect URIs as exact strings; the
 * checks come before parsing, because the URL parser forgives what an exact comparison would not (it drops tabs and
 * line breaks, reads a backslash as a slash).
 */
export function checkUri(text: string): UriRuleBreak | null {
  if ([...text].length > URI_MAX) return "tooLong";
  if (hasControlCharacters(text)) return "controlCharacters";
  if (/\s/.test(text)) return "spaces";
  if (text.includes("*")) return "wildcard";
  if (text.includes("#")) return "fragment";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "notUrl";
  }
  if (text.includes("\\")) return "notUrl";
  if (url.protocol === "https:") {
    if (!HTTPS.test(text) || url.hostname === "") return "notUrl";
  } else if (url.protocol !== "http:" || !LOCAL_HTTP.test(text)) {
    return "scheme";
  }
  if (url.username !== "" || url.password !== "") return "userInfo";
  return null;
}

/** The host a URI names, lower-cased as the parser gives it; only called on a URI that follows the rule. */
function hostOf(uri: string): string {
  return new URL(uri).host;
}

/** One URI a line, blank lines left out, each line trimmed. */
export function readUriList(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** A URI quoted in a message, cut when long: the field shows it whole. */
function quoted(uri: string): string {
  const chars = [...uri];
  return chars.length > 80 ? `${chars.slice(0, 77).join("")}…` : uri;
}

function uriBreakError(problem: UriRuleBreak, uri: string, line?: number): FieldError {
  // A URI with a control character is not echoed: the line says where it is.
  const params: Record<string, string | number> = problem === "controlCharacters" ? {} : { uri: quoted(uri) };
  if (line !== undefined) {
    return { key: `externalServices.uriLine.${problem}`, params: { ...params, line } };
  }
  return { key: `externalServices.uri.${problem}`, params };
}

/** A field of one URI: empty is allowed unless required, which names the message that asks for it. */
export function uriFieldError(uri: string, options: { required: MessageKey | null }): FieldError | undefined {
  if (uri === "") return options.required ? { key: options.required } : undefined;
  const problem = checkUri(uri);
  return problem ? uriBreakError(problem, uri) : undefined;
}

/**
 * A field of several URIs, one a line: each follows the rule, none twice, at most URIS_MAX. Redirect URIs must also
 * share one host: the provider gives each client's people a pairwise subject, which it derives from one host unless
 * the client registers a sector_identifier_uri, which Guichet does not ask for.
 */
export function uriListError(
  text: string,
  options: { required: MessageKey | null; oneHost: boolean },
): { uris: string[]; error?: FieldError } {
  if (text.length > URIS_MAX * (URI_MAX + 2)) {
    return { uris: [], error: { key: "field.tooLong", params: { max: URIS_MAX * (URI_MAX + 2) } } };
  }
  const uris = readUriList(text);
  if (uris.length === 0) return { uris, ...(options.required ? { error: { key: options.required } } : {}) };
  if (uris.length > URIS_MAX) {
    return { uris, error: { key: "externalServices.uris.tooMany", params: { max: URIS_MAX } } };
  }
  const seen = new Set<string>();
  for (const [index, uri] of uris.entries()) {
    const problem = checkUri(uri);
    if (problem) return { uris, error: uriBreakError(problem, uri, index + 1) };
    if (seen.has(uri)) {
      return {
        uris,
        error: { key: "externalServices.uris.duplicate", params: { uri: quoted(uri), line: index + 1 } },
      };
    }
    seen.add(uri);
  }
  if (options.oneHost && new Set(uris.map(hostOf)).size > 1) {
    return { uris, error: { key: "externalServices.uris.oneHost" } };
  }
  return { uris };
}

/** A line of text: required (asked for by its own message), at most `max` characters, no control character. */
function textError(value: string, max: number, required: MessageKey): FieldError | undefined {
  if (value === "") return { key: required };
  if ([...value].length > max) return { key: "field.tooLong", params: { max } };
  if (hasControlCharacters(value)) return { key: "field.controlCharacters" };
  return undefined;
}

/** Like the catalogue's codes (D32-PRIMEAU, D35-TECQ 2014): letters, digits, spaces, dots, hyphens. */
const CODE = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;

function codeError(code: string): FieldError | undefined {
  const error = textError(code, CODE_MAX, "externalServices.required.code");
  if (error) return error;
  return CODE.test(code) ? undefined : { key: "externalServices.code.invalid" };
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function isCategoryParam(value: string): value is CategoryParam {
  return Object.hasOwn(CATEGORIES, value);
}

/** What the client's part of the form holds once checked. */
export type ClientInput = {
  name: string;
  externalUrl: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  authMethod: ClientAuthMethod;
  jwksUri: string | null;
  minAssurance: MinAssurance;
};

export type RegistrationInput = ClientInput & { code: string; category: "infrastructures" | "other" };

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors<Field> };

export function readServiceForm(body: unknown): ServiceForm {
  return readFields(body, FIELDS);
}

/** The fields a change may make: everything but the service's code and category, which the catalogue keeps. */
export function checkClientFields(form: ServiceForm): Checked<ClientInput> {
  const errors: FieldErrors<Field> = {};
  errors.nom = textError(form.nom, NAME_MAX, "externalServices.required.name");
  errors.adresse = uriFieldError(form.adresse, { required: "externalServices.required.address" });
  const redirects = uriListError(form.redirections, {
    required: "externalServices.required.redirects",
    oneHost: true,
  });
  errors.redirections = redirects.error;
  const returns = uriListError(form.retours, { required: null, oneHost: false });
  errors.retours = returns.error;
  errors.deconnexion = uriFieldError(form.deconnexion, { required: null });
  const method = form.methode;
  if (!isOneOf(AUTH_METHODS, method)) errors.methode = { key: "externalServices.method.invalid" };
  if (method === "private_key_jwt")
    errors.jwks = uriFieldError(form.jwks, { required: "externalServices.required.jwks" });
  else if (form.jwks !== "") errors.jwks = { key: "externalServices.jwks.onlyWithKeys" };
  const assurance = form.assurance;
  if (!isOneOf(ASSURANCES, assurance)) errors.assurance = { key: "externalServices.assurance.invalid" };
  if (hasErrors(errors) || !isOneOf(AUTH_METHODS, method) || !isOneOf(ASSURANCES, assurance)) {
    const found: FieldErrors<Field> = {};
    for (const field of FIELDS) if (errors[field]) found[field] = errors[field];
    return { ok: false, errors: found };
  }
  return {
    ok: true,
    value: {
      name: form.nom,
      externalUrl: form.adresse,
      redirectUris: redirects.uris,
      postLogoutRedirectUris: returns.uris,
      backchannelLogoutUri: form.deconnexion === "" ? null : form.deconnexion,
      authMethod: method,
      jwksUri: method === "private_key_jwt" ? form.jwks : null,
      minAssurance: assurance,
    },
  };
}

/** A registration: the client's fields, and the service's code and category in the catalogue. */
export function checkRegistration(form: ServiceForm): Checked<RegistrationInput> {
  const client = checkClientFields(form);
  const code = codeError(form.code);
  const category = form.categorie;
  if (!client.ok || code || !isCategoryParam(category)) {
    // In the form's order, for the summary: the service's code and category come first.
    const errors: FieldErrors<Field> = {
      ...(code ? { code } : {}),
      ...(isCategoryParam(category) ? {} : { categorie: { key: "externalServices.category.invalid" } }),
      ...(client.ok ? {} : client.errors),
    };
    return { ok: false, errors };
  }
  return { ok: true, value: { ...client.value, code: form.code, category: CATEGORIES[category] } };
}
