// A rule's answer: allowed, or denied with a reason code that the audit log keeps.

export const REASONS = [
  "not_authenticated",
  "not_services_officer",
  "other_organization",
  "own_account",
  "not_own_account",
  "no_procuration",
  "service_not_covered",
  "not_service_admin",
  "other_ministry",
  "not_client_organization",
  "not_registry_manager",
  "not_local_manager",
  "not_agent_manager",
  "grantee_disabled",
  "grantee_not_associated",
  "grantee_other_organization",
  "no_right",
  "read_only_right",
  "not_mandated",
  "not_sending_organization",
  "not_recipient_staff",
  "not_own_draft",
  "no_rule",
  // An access review's line is about the actor's own access: another manager, the RSE or the ministry decides it.
  "own_line",
  // The decision API's question names someone or something Guichet does not know, or a person who may not act.
  "unknown_subject",
  "user_disabled",
  "unknown_organization",
  "unknown_service",
  "unknown_dossier",
] as const;

export type Reason = (typeof REASONS)[number];

export type Decision = { allowed: true } | { allowed: false; reason: Reason };

export const ALLOW: Decision = { allowed: true };

export function deny(reason: Reason): Decision {
  return { allowed: false, reason };
}
