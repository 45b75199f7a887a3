// The expected answers of the exhaustive authorization matrix (test/authz/matrix.test.ts), written by hand from
// DOMAIN.md's « Who may do what », never computed; the decision API's matrix (src/features/decisions/) asks the same
// table again for the actions it exposes.
import type { OrganizationVariant, ServiceVariant } from "./registry-fixtures.js";

/** Allowed, a denial's reason, or (for « facts.right ») the right the registry holds for the actor, « - » for none. */
export type Answer = string;
export const Y = "Y";
export const NA = "not_authenticated";
export const OO = "other_organization";
export const NP = "no_procuration";
export const SC = "service_not_covered";
export const NR = "not_registry_manager";
export const NL = "not_local_manager";
export const NM = "not_agent_manager";
export const NSO = "not_services_officer";
export const NSA = "not_service_admin";
export const OM = "other_ministry";
export const NOA = "not_own_account";
export const NRT = "no_right";
export const RO = "read_only_right";
export const NMD = "not_mandated";
export const NCO = "not_client_organization";
/** Allowed to edit or transmit, then refused because the application was transmitted: frozen (409). */
export const FZ = "frozen";
export const NF = "error:not_found";
/** What « Demandes d'aide financière » lists of (O or O2, S), by the kinds of application-world.ts. */
export const ALL = "lists draft transmitted unmandated";
export const MND = "lists draft transmitted";
export const __ = "-";

export type Row = readonly Answer[];
export type Table = Record<OrganizationVariant, Record<ServiceVariant, Row>>;

/** The same row in the three services: the question does not depend on the service. */
export function everywhere(row: Row): Record<ServiceVariant, Row> {
  return { S: row, S2: row, S3: row };
}

/** Roles never leak across organizations: from O2's registry (or F2's point) everyone but the visitor is refused. */
export const OTHER_ORGANIZATION = everywhere([
  NA,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
  OO,
]);

/** No right in the registry at hand: nobody reaches its applications, whatever their role or procuration. */
export const NO_RIGHT: Row = [
  NA,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
  NRT,
];

// Columns, in the order of ACTOR_KINDS:
//   anon  user  RSE   L     D     RW    RR    AM    AMo   staff AW    AR    MA    MA2   Dexp  RWrev RWpast
export const TABLES = {
  // « see the registry of (O,S) », « grant / change / revoke » and « assign / end a mandate on a dossier »: L, D,
  // with a procuration covering S. The RSE holds every procuration of O implicitly, but no role. Reading: « Qui a
  // accès » is the registry seen another way; « Gestion des mandats » shows the mandates L and D may end. That the
  // agent holds AW or AR is the target's condition, refused after the authorization (the agent asked about has none).
  registry: {
    same: {
      S: [NA, NR, NR, Y, Y, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
      S2: [NA, NR, NR, NR, NR, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
      S3: [NA, NR, NR, SC, SC, NR, NR, OO, OO, OO, OO, OO, OO, OO, NP, NR, NR],
    },
    other: OTHER_ORGANIZATION,
  },
  // « name / remove a deputy »: L only; a deputy cannot.
  deputy: {
    same: {
      S: [NA, NL, NL, Y, NL, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
      S2: [NA, NL, NL, NL, NL, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
      S3: [NA, NL, NL, SC, SC, NL, NL, OO, OO, OO, OO, OO, OO, OO, NP, NL, NL],
    },
    other: OTHER_ORGANIZATION,
  },
  // « associate / dissociate firm staff to S »: the AM of (P,S), about point P of their own firm. Reading: seeing
  // the point's associations is part of managing them. The AM also manages P1; AMo manages P3, not P.
  association: {
    same: {
      S: [NA, OO, OO, OO, OO, OO, OO, Y, NM, NM, NM, NM, OO, OO, OO, OO, OO],
      S2: [NA, OO, OO, OO, OO, OO, OO, NM, NM, NM, NM, NM, OO, OO, OO, OO, OO],
      S3: [NA, OO, OO, OO, OO, OO, OO, SC, NM, NM, NM, NM, OO, OO, OO, OO, OO],
    },
    other: OTHER_ORGANIZATION,
  },
  // The enterprise layer for O and S's ministry: a valid procuration of one's own organization (the RSE holds them
  // all), covering the service when restricted; an expired one acts as none. A firm's staff never act for O.
  enterprise: {
    same: {
      S: [NA, Y, Y, Y, Y, Y, Y, OO, OO, OO, OO, OO, OO, OO, NP, Y, Y],
      S2: [NA, Y, Y, Y, Y, Y, Y, OO, OO, OO, OO, OO, OO, OO, NP, Y, Y],
      S3: [NA, Y, Y, SC, SC, Y, Y, OO, OO, OO, OO, OO, OO, OO, NP, Y, Y],
    },
    other: OTHER_ORGANIZATION,
  },
  // « approve or reject an access request », « replace a manager », a deputy « when there is no L able to », the
  // managers' search, identification codes, the transmitted applications of S and « register, change, disable an
  // external service's client »: the service administrators of the ministry that owns S, for any organization. Reading: DOMAIN.md leaves « no L able to » to the
  // administrator's judgment, so the rule does not test it; identification codes are the owning ministry's too (the
  // municipality's letter comes from it).
  ministry: {
    same: everywhere([NA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, Y, OM, NSA, NSA, NSA]),
    other: everywhere([NA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, Y, OM, NSA, NSA, NSA]),
  },
  // « create a user account, edit a profile, reset a password », « create, assign, end a procuration »: the RSE of
  // the organization. Reading: listing and viewing them too; anyone not an RSE is refused as such first.
  servicesOfficer: {
    same: everywhere([NA, NSO, Y, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO]),
    other: everywhere([NA, NSO, OO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO, NSO]),
  },
  // One's own profile and password, about the plain user of O (same) or a user of O2 (other).
  ownProfile: {
    same: everywhere([NA, Y, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA]),
    other: everywhere([NA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA, NOA]),
  },
  // « file an access request for (O,S) »: any user of O. Reading: the procuration is the enterprise layer's
  // separate question (above), which the filing pages also ask; a ministry does not file.
  fileRequest: {
    same: everywhere([NA, Y, Y, Y, Y, Y, Y, OO, OO, OO, OO, OO, OO, OO, Y, Y, Y]),
    other: OTHER_ORGANIZATION,
  },
  // « ask for a right (demande de droit) », an agent right: « an agent for a client O ». The firm's staff (AM, AMo,
  // associated staff, AW, AR) ask for O or O2, municipalities both, whatever the service, association or procuration
  // (the request says what is missing; the approval needs them). Anyone else has no client: a municipality's staff
  // ask requester rights (« fileRequest » above, the same answers: « any user of O »); a ministry has none either.
  fileAgentRequest: {
    same: everywhere([NA, NCO, NCO, NCO, NCO, NCO, NCO, Y, Y, Y, Y, Y, NCO, NCO, NCO, NCO, NCO]),
    other: everywhere([NA, NCO, NCO, NCO, NCO, NCO, NCO, Y, Y, Y, Y, Y, NCO, NCO, NCO, NCO, NCO]),
  },
  // « Demandes d'aide financière » of (O,S): the list shows RW and RR every application, AW and AR the dossiers
  // mandated to them (the draft and the transmitted one; not the one whose mandates ended). « Being a manager gives
  // no access to applications »: L, D, AM and the RSE hold no right, and neither do the ministry's administrators.
  // RR's right in (O,S3) reaches that registry's applications too. Nobody of O or F holds a right at O2.
  applicationList: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, ALL, ALL, NRT, NRT, NRT, MND, MND, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, ALL, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  // « read an application »: RW, RR; AW, AR on mandated dossiers. The draft is mandated to AW and AR.
  readApplication: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, Y, NRT, NRT, NRT, Y, Y, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, Y, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  // The same on the draft whose mandates ended: an ended mandate acts as none.
  readUnmandated: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, Y, NRT, NRT, NRT, NMD, NMD, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, Y, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  // « create an application »: RW, AW; « edit, transmit »: RW, AW on mandated dossiers, so on the mandated draft
  // the two agree. Consultation reads only. Allowed here means refused after the authorization, writing nothing: an
  // empty title, a stale revision. Reading: S2 and S3 have forms (every infrastructure service gets the standard
  // one), so a creation there would be refused only for want of a right, never for want of a form.
  writeApplication: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, RO, NRT, NRT, NRT, Y, RO, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, RO, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  // Editing or transmitting the draft whose mandates ended: AW is no longer mandated; AR never writes.
  writeUnmandated: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, Y, RO, NRT, NRT, NRT, NMD, RO, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, RO, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  // « only drafts can be edited; transmission freezes it »: the writers of the transmitted application (AW is
  // mandated on it) are allowed, then refused because it is frozen; the others are refused as before.
  writeTransmitted: {
    same: {
      S: [NA, NRT, NRT, NRT, NRT, FZ, RO, NRT, NRT, NRT, FZ, RO, NRT, NRT, NRT, NRT, NRT],
      S2: NO_RIGHT,
      S3: [NA, NRT, NRT, NRT, NRT, NRT, RO, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT, NRT],
    },
    other: everywhere(NO_RIGHT),
  },
  // The ministry's read-only view, asked about a draft: the owning ministry's administrator is told it does not
  // exist (a draft is not the ministry's to see); the others are refused as for a transmitted one (« ministry »).
  ministryDraft: {
    same: everywhere([NA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NF, OM, NSA, NSA, NSA]),
    other: everywhere([NA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NSA, NF, OM, NSA, NSA, NSA]),
  },
  // Not an action: the right the registry of (O or O2, S) gives the actor, as the service layer reads it. A right
  // revoked or past its last day is none; RR also holds one in (O,S3), out of everyone's reach at O.
  right: {
    same: {
      S: [
        __,
        __,
        __,
        __,
        __,
        "requester.write",
        "requester.read",
        __,
        __,
        __,
        "agent.write",
        "agent.read",
        __,
        __,
        __,
        __,
        __,
      ],
      S2: [__, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __],
      S3: [__, __, __, __, __, __, "requester.read", __, __, __, __, __, __, __, __, __, __],
    },
    other: everywhere([__, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __, __]),
  },
} as const satisfies Record<string, Table>;

export type Group = keyof typeof TABLES;

/**
 * Which table answers each question of the matrix: every action of the policy it asks, the fact, and application
 * actions asked again about another application of the registry (« action, application »). The policy's matrix and
 * the decision API's read the same rows.
 */
export const QUESTION_GROUPS = {
  "account.list": "servicesOfficer",
  "account.create": "servicesOfficer",
  "account.view": "servicesOfficer",
  "account.edit": "servicesOfficer",
  "account.resetPassword": "servicesOfficer",
  "account.enable": "servicesOfficer",
  "account.disable": "servicesOfficer",
  "account.resetFactors": "servicesOfficer",
  "profile.view": "ownProfile",
  "profile.changePassword": "ownProfile",
  "profile.manageFactors": "ownProfile",
  "procuration.list": "servicesOfficer",
  "procuration.create": "servicesOfficer",
  "procuration.view": "servicesOfficer",
  "procuration.change": "servicesOfficer",
  "procuration.assign": "servicesOfficer",
  "procuration.end": "servicesOfficer",
  "organization.actWithMinistry": "enterprise",
  "accessRequest.file": "fileRequest",
  "accessRequest.review": "ministry",
  "accessRequest.decide": "ministry",
  "serviceRole.search": "ministry",
  "serviceRole.nameDeputyAsAdmin": "ministry",
  "serviceRole.removeDeputyAsAdmin": "ministry",
  "serviceRole.listGaps": "ministry",
  "identificationCode.issue": "ministry",
  "externalService.manage": "ministry",
  "registry.view": "registry",
  "registry.grant": "registry",
  "registry.change": "registry",
  "registry.revoke": "registry",
  "registry.whoHasAccess": "registry",
  "deputy.name": "deputy",
  "deputy.remove": "deputy",
  "association.view": "association",
  "association.add": "association",
  "association.remove": "association",
  "application.list": "applicationList",
  "application.create": "writeApplication",
  "application.read": "readApplication",
  "application.edit": "writeApplication",
  "application.transmit": "writeApplication",
  "application.readAsMinistry": "ministry",
  "mandate.view": "registry",
  "mandate.assign": "registry",
  "mandate.end": "registry",
  "journal.viewOrganization": "servicesOfficer",
  "journal.viewService": "registry",
  "profile.viewHistory": "ownProfile",
  "review.view": "registry",
  "review.decide": "registry",
  "review.decideAsOfficer": "servicesOfficer",
  "review.history": "servicesOfficer",
  "review.decideAsMinistry": "ministry",
  "review.launch": "ministry",
  "review.completion": "ministry",
  // « ask for a right »: a requester right, any user of O (an agent right: the question below); « approve or refuse a
  // right request »: L, D of (O,S), « as granting ».
  "rightRequest.file": "fileRequest",
  "rightRequest.decide": "registry",
  "facts.right": "right",
  "application.read, unmandated": "readUnmandated",
  "application.edit, unmandated": "writeUnmandated",
  "application.transmit, unmandated": "writeUnmandated",
  "application.edit, transmitted": "writeTransmitted",
  "application.transmit, transmitted": "writeTransmitted",
  "application.readAsMinistry, draft": "ministryDraft",
  "rightRequest.file, agent right": "fileAgentRequest",
} as const satisfies Record<string, Group>;
