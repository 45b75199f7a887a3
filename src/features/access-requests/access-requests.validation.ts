// Reads and checks the access request forms: the organization's identifier, the requester in authority, the body's
// details, the firm's service point, the designated person's code and a replacement's reason.

import { CONTROL_CHARACTERS } from "../../util/text.js";
import type { FieldErrors } from "../../web/forms.js";
import { readFields } from "../../web/forms.js";
import type { MessageKey } from "../../web/messages.js";
import { PROFILE_FIELDS, validateProfile } from "../accounts/accounts.validation.js";

/** The three forms, by the word in their address. */
export const REQUEST_FORMS = ["municipalite", "organisme", "mandataires"] as const;
export type RequestForm = (typeof REQUEST_FORMS)[number];

export function isRequestForm(value: string): value is RequestForm {
  return (REQUEST_FORMS as readonly string[]).includes(value);
}

/** The organization kind each form is for, and the role it asks for. */
export const FORM_KIND = { municipalite: "municipality", organisme: "body", mandataires: "firm" } as const;
export const FORM_ROLE = {
  municipalite: "local_manager",
  organisme: "local_manager",
  mandataires: "agent_manager",
} as const;

export function formForKind(kind: string): RequestForm | null {
  if (kind === "municipality") return "municipalite";
  if (kind === "body") return "organisme";
  if (kind === "firm") return "mandataires";
  return null;
}

/** Field names as the forms send them (French, as the pages). */
export const FIELD = {
  geoCode: "codeGeographique",
  neq: "neq",
  identificationCode: "codeIdentification",
  civility: "civilite",
  lastName: "nomDemandeur",
  firstName: "prenomDemandeur",
  jobTitle: "fonction",
  phone: "telephone",
  phoneExtension: "poste",
  email: "courriel",
  designatedCode: "codeUtilisateur",
  category: "categorie",
  bodyName: "nomOrganisme",
  civicNumber: "numeroCivique",
  street: "rue",
  city: "municipalite",
  postalCode: "codePostal",
  region: "region",
  provincialRiding: "circonscriptionProvinciale",
  federalRiding: "circonscriptionFederale",
  servicePoint: "pointService",
  pointName: "pointNom",
  pointCivicNumber: "pointNumeroCivique",
  pointStreet: "pointRue",
  pointCity: "pointMunicipalite",
  pointPostalCode: "pointCodePostal",
  reason: "raison",
  /** Not a field: problems with the request as a whole (one already pending, a form sent twice). */
  request: "demande",
} as const;

/** The value of the service point choice that adds a new one. */
export const NEW_POINT = "nouveau";

export function identifierField(form: RequestForm): "codeGeographique" | "neq" {
  return form === "municipalite" ? FIELD.geoCode : FIELD.neq;
}

export type RequesterInput = {
  civility: string;
  lastName: string;
  firstName: string;
  jobTitle: string;
  phone: string;
  phoneExtension: string;
  email: string;
};

export type BodyInput = {
  category: string;
  name: string;
  civicNumber: string;
  street: string;
  city: string;
  postalCode: string;
  region: string;
  provincialRiding: string;
  federalRiding: string;
};

export type PointInput = {
  name: string;
  civicNumber: string;
  street: string;
  city: string;
  postalCode: string;
};

/** Everything a form may send, as typed. */
export type RequestInput = {
  identifier: string;
  identificationCode: string;
  requester: RequesterInput;
  designatedCode: string;
  body: BodyInput;
  servicePoint: string;
  newPoint: PointInput;
  reason: string;
};

export const EMPTY_BODY: BodyInput = {
  category: "",
  name: "",
  civicNumber: "",
  street: "",
  city: "",
  postalCode: "",
  region: "",
  provincialRiding: "",
  federalRiding: "",
};

export function emptyInput(identifier = ""): RequestInput {
  return {
    identifier,
    identificationCode: "",
    requester: {
      civility: "",
      lastName: "",
      firstName: "",
      jobTitle: "",
      phone: "",
      phoneExtension: "",
      email: "",
    },
    designatedCode: "",
    body: EMPTY_BODY,
    servicePoint: "",
    newPoint: { name: "", civicNumber: "", street: "", city: "", postalCode: "" },
    reason: "",
  };
}

/** Whether the body's detail fields were on the page that was sent (they are prefilled once the body is found). */
export function hasBodyFields(body: unknown): boolean {
  return typeof body === "object" && body !== null && Object.hasOwn(body, FIELD.bodyName);
}

export function readRequestInput(form: RequestForm, body: unknown): RequestInput {
  const f = readFields(body, Object.values(FIELD));
  return {
    identifier: f[identifierField(form)],
    identificationCode: f.codeIdentification,
    requester: {
      civility: f.civilite,
      lastName: f.nomDemandeur,
      firstName: f.prenomDemandeur,
      jobTitle: f.fonction,
      phone: f.telephone,
      phoneExtension: f.poste,
      email: f.courriel,
    },
    designatedCode: f.codeUtilisateur,
    body: {
      category: f.categorie,
      name: f.nomOrganisme,
      civicNumber: f.numeroCivique,
      street: f.rue,
      city: f.municipalite,
      postalCode: f.codePostal,
      region: f.region,
      provincialRiding: f.circonscriptionProvinciale,
      federalRiding: f.circonscriptionFederale,
    },
    servicePoint: f.pointService,
    newPoint: {
      name: f.pointNom,
      civicNumber: f.pointNumeroCivique,
      street: f.pointRue,
      city: f.pointMunicipalite,
      postalCode: f.pointCodePostal,
    },
    reason: f.raison,
  };
}

/**
 * A free text field: at most max characters, no control characters. Null when left empty; required names the message
 * that asks for it then (« Entrez le nom de la rue. »), null when the field is optional.
 */
function text(
  errors: FieldErrors,
  name: string,
  value: string,
  max: number,
  required: MessageKey | null,
): string | null {
  if (value === "") {
    if (required) errors[name] = { key: required };
    return null;
  }
  if ([...value].length > max) errors[name] = { key: "field.tooLong", params: { max } };
  else if (CONTROL_CHARACTERS.test(value)) errors[name] = { key: "field.controlCharacters" };
  return value;
}

/** The identifier typed in step 1: 5 digits for a municipality, 10 for a NEQ (spaces ignored). */
export function checkIdentifier(
  form: RequestForm,
  raw: string,
): { ok: true; value: string } | { ok: false; errors: FieldErrors } {
  const value = raw.replace(/\s/g, "");
  const field = identifierField(form);
  if (value === "") {
    const key = form === "municipalite" ? "accessRequests.required.geoCode" : "accessRequests.required.neq";
    return { ok: false, errors: { [field]: { key } } };
  }
  if (form === "municipalite") {
    return /^\d{5}$/.test(value)
      ? { ok: true, value }
      : { ok: false, errors: { [field]: { key: "accessRequests.geoCode.invalid" } } };
  }
  return /^\d{10}$/.test(value)
    ? { ok: true, value }
    : { ok: false, errors: { [field]: { key: "accessRequests.neq.invalid" } } };
}

/** "g1r4j3", "G1R-4J3" and "g1r 4j3" all become "G1R 4J3"; letters Canada Post never uses are refused. */
export function normalizePostalCode(raw: string): string | null {
  const compact = raw.toUpperCase().replace(/[\s-]/g, "");
  if (!/^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\d[ABCEGHJ-NPRSTV-Z]\d$/.test(compact)) return null;
  return `${compact.slice(0, 3)} ${compact.slice(3)}`;
}

function postalCode(errors: FieldErrors, name: string, raw: string): string {
  if (raw === "") {
    errors[name] = { key: "accessRequests.required.postalCode" };
    return "";
  }
  const normalized = normalizePostalCode(raw);
  if (normalized === null) errors[name] = { key: "accessRequests.postalCode.invalid" };
  return normalized ?? raw;
}

export type Requester = {
  civility: "M." | "Mme";
  lastName: string;
  firstName: string;
  jobTitle: string;
  phone: string;
  phoneExtension: string | null;
  email: string;
};

const REQUESTER_FIELD = {
  civility: FIELD.civility,
  firstName: FIELD.firstName,
  lastName: FIELD.lastName,
  jobTitle: FIELD.jobTitle,
  phone: FIELD.phone,
  phoneExtension: FIELD.phoneExtension,
  email: FIELD.email,
} as const;

/** The person in authority: every field required but the extension; the same rules as a user profile. */
export function checkRequester(errors: FieldErrors, input: RequesterInput): Requester | null {
  const checked = validateProfile(input);
  if (!checked.ok) {
    for (const name of PROFILE_FIELDS) {
      const error = checked.errors[name];
      if (error) errors[REQUESTER_FIELD[name]] = error;
    }
  }
  if (input.civility === "") errors[FIELD.civility] = { key: "field.civility" };
  if (input.jobTitle === "") errors[FIELD.jobTitle] = { key: "field.required.jobTitle" };
  if (input.phone === "") errors[FIELD.phone] = { key: "field.required.phone" };
  if (!checked.ok) return null;
  const { civility, jobTitle, phone } = checked.profile;
  if (civility === null || jobTitle === null || phone === null) return null;
  return { ...checked.profile, civility, jobTitle, phone };
}

export type BodyDetails = {
  category: string;
  name: string;
  civicNumber: string | null;
  street: string;
  city: string;
  postalCode: string;
  region: string | null;
  provincialRiding: string;
  federalRiding: string;
};

/** The body's details as the seed's form asks them: the starred ones are required; the postal code is normalised. */
export function checkBodyDetails(errors: FieldErrors, input: BodyInput): BodyDetails {
  return {
    category: text(errors, FIELD.category, input.category, 100, "accessRequests.required.category") ?? "",
    name: text(errors, FIELD.bodyName, input.name, 200, "accessRequests.required.bodyName") ?? "",
    civicNumber: text(errors, FIELD.civicNumber, input.civicNumber, 20, null),
    street: text(errors, FIELD.street, input.street, 200, "accessRequests.required.street") ?? "",
    city: text(errors, FIELD.city, input.city, 100, "accessRequests.required.city") ?? "",
    postalCode: postalCode(errors, FIELD.postalCode, input.postalCode),
    region: text(errors, FIELD.region, input.region, 100, null),
    provincialRiding:
      text(
        errors,
        FIELD.provincialRiding,
        input.provincialRiding,
        100,
        "accessRequests.required.provincialRiding",
      ) ?? "",
    federalRiding:
      text(errors, FIELD.federalRiding, input.federalRiding, 100, "accessRequests.required.federalRiding") ??
      "",
  };
}

export type NewPoint = {
  name: string;
  civicNumber: string | null;
  street: string;
  city: string;
  postalCode: string;
};

export function checkNewPoint(errors: FieldErrors, input: PointInput): NewPoint {
  return {
    name: text(errors, FIELD.pointName, input.name, 200, "accessRequests.required.pointName") ?? "",
    civicNumber: text(errors, FIELD.pointCivicNumber, input.civicNumber, 20, null),
    street: text(errors, FIELD.pointStreet, input.street, 200, "accessRequests.required.street") ?? "",
    city: text(errors, FIELD.pointCity, input.city, 100, "accessRequests.required.city") ?? "",
    postalCode: postalCode(errors, FIELD.pointPostalCode, input.postalCode),
  };
}

export function checkReason(errors: FieldErrors, raw: string): string {
  return text(errors, FIELD.reason, raw, 1000, "accessRequests.required.reason") ?? "";
}

/** A user code as typed: any case; 7 letters and digits. Null (with the error set) otherwise. */
export function checkUserCode(errors: FieldErrors, raw: string): string | null {
  const code = raw.toUpperCase();
  if (code === "") {
    errors[FIELD.designatedCode] = { key: "accessRequests.required.designatedCode" };
    return null;
  }
  if (!/^[A-Z0-9]{7}$/.test(code)) {
    errors[FIELD.designatedCode] = { key: "accessRequests.userCode.invalid" };
    return null;
  }
  return code;
}

/** The chosen service point: an id, the new one, or nothing. */
export function readPointChoice(raw: string): { kind: "existing"; id: number } | { kind: "new" } | null {
  if (raw === NEW_POINT) return { kind: "new" };
  if (/^\d{1,15}$/.test(raw)) return { kind: "existing", id: Number(raw) };
  return null;
}
