// Kysely's view of the tables; mirrors migrations/*.sql.
import type { ColumnType, Generated } from "kysely";
import type { AdapterPayload } from "oidc-provider";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in when the insert leaves it out. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: written as JSON text, read back parsed; defaults to {}. */
type DefaultJson = ColumnType<Record<string, unknown>, string | undefined, string>;

export type OrganizationKind = "municipality" | "body" | "firm" | "ministry";

export interface OrganizationTable {
  id: Generated<number>;
  kind: OrganizationKind;
  name: string;
  /** English text of reference data (migrations/0017): null where there is none, the French then shown as French. */
  name_en: ColumnType<string | null, string | null | undefined, string | null>;
  acronym: string | null;
  geo_code: string | null;
  neq: string | null;
  body_category: string | null;
  civic_number: string | null;
  street: string | null;
  city: string | null;
  postal_code: string | null;
  region: string | null;
  provincial_riding: string | null;
  federal_riding: string | null;
  phone: string | null;
  email: string | null;
  created_at: DefaultTimestamp;
}

export interface MinistryUnitTable {
  id: Generated<number>;
  organization_id: number;
  code: string;
  name: string;
  name_en: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ServicePointTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  civic_number: string | null;
  street: string | null;
  city: string | null;
  postal_code: string | null;
  created_at: DefaultTimestamp;
}

export interface AppUserTable {
  id: Generated<number>;
  organization_id: number;
  user_code: string;
  civility: "M." | "Mme" | null;
  first_name: string;
  last_name: string;
  job_title: string | null;
  phone: string | null;
  phone_extension: string | null;
  email: string;
  password_hash: string | null;
  is_services_officer: Generated<boolean>;
  ministry_unit_id: number | null;
  is_service_admin: Generated<boolean>;
  locale: Generated<"fr" | "en">;
  disabled_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  factor_grace_started_at: Timestamp | null;
}

export interface SessionTable {
  token_hash: Buffer;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  /** How the person signed in: "pwd", then "otp" when a second factor was given (RFC 8176). */
  amr: ColumnType<string[], string[] | undefined, string[]>;
  /** When the person last proved a second factor in this session. */
  factor_at: Timestamp | null;
  /** For a person whose role needs a second factor and who has none: the end of their grace period. */
  factor_deadline: Timestamp | null;
}

export interface StepUpRequestTable {
  token_hash: Buffer;
  session_token_hash: Buffer;
  user_id: number;
  act: string;
  url: string;
  body: ColumnType<Record<string, string | string[]>, string, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface TotpFactorTable {
  id: Generated<number>;
  user_id: number;
  secret_ciphertext: Buffer;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  last_step: number | null;
  last_used_at: Timestamp | null;
  removed_at: Timestamp | null;
}

export interface PasskeyTable {
  id: Generated<number>;
  user_id: number;
  credential_id: string;
  public_key: Buffer;
  sign_count: Generated<number>;
  transports: Generated<string[]>;
  name: string;
  device_type: "singleDevice" | "multiDevice";
  backed_up: boolean;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  removed_at: Timestamp | null;
}

export type WebauthnPurpose = "register" | "secondStep" | "discover" | "stepUp";

export interface WebauthnChallengeTable {
  id: Generated<number>;
  challenge: string;
  purpose: WebauthnPurpose;
  user_id: number | null;
  /** The hash of the session or pending sign-in the ceremony belongs to. */
  binding_hash: Buffer | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface RecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: Buffer;
  created_at: Timestamp;
  used_at: Timestamp | null;
  voided_at: Timestamp | null;
}

export interface PendingSignInTable {
  token_hash: Buffer;
  user_id: number;
  device_token_hash: Buffer;
  return_to: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface AccountTokenTable {
  token_hash: Buffer;
  user_id: number;
  purpose: "activation" | "reset";
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SignInFailureTable {
  id: Generated<number>;
  user_code: string;
  ip: string;
  device_known: Generated<boolean>;
  at: Timestamp;
}

export interface KnownDeviceTable {
  token_hash: Buffer;
  user_id: number;
  created_at: Timestamp;
  last_used_at: Timestamp;
}

export type AuditOutcome = "success" | "failure" | "denied";

export interface AuditEventTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  actor_code: string | null;
  action: string;
  outcome: AuditOutcome;
  reason: string | null;
  organization_id: number | null;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: DefaultJson;
  /** The online service the event happened in (migrations/0020). */
  service_id: number | null;
  /** The person the event was about: the grantee, the account acted on, the one who signed in. */
  subject_user_id: number | null;
}

/** What every outbox table keeps of its deliveries: attempts, the next one, the lease, the outcome. */
export interface OutboxDelivery {
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  sent_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_error: string | null;
}

export interface MailOutboxTable extends OutboxDelivery {
  id: Generated<number>;
  created_at: Timestamp;
  to_address: string;
  subject: string;
  text_body: string;
}

/** A back-channel logout waiting in the outbox: whom to tell (the client), of whose session (account and sid). */
export interface BackchannelOutboxTable extends OutboxDelivery {
  id: Generated<number>;
  created_at: Timestamp;
  client_id: string;
  account_id: string;
  sid: string;
}

/** « Infrastructures » or « Autres » in the catalogue. */
export type ServiceCategory = "infrastructures" | "other";

export interface OnlineServiceTable {
  id: Generated<number>;
  code: string;
  name: string;
  category: ServiceCategory;
  ministry_id: number;
  ministry_unit_id: number | null;
  description: string | null;
  name_en: ColumnType<string | null, string | null | undefined, string | null>;
  description_en: ColumnType<string | null, string | null | undefined, string | null>;
  sort_order: Generated<number>;
  /** Where an external service lives (migrations/0011); null for Guichet's own pages. */
  external_url: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TransferRecipientTable {
  id: Generated<number>;
  code: string;
  name: string;
  ministry_id: number;
  ministry_unit_id: number;
  instructions: Generated<string>;
  name_en: ColumnType<string | null, string | null | undefined, string | null>;
  instructions_en: ColumnType<string | null, string | null | undefined, string | null>;
  allowed_extensions: ColumnType<string[], string[] | undefined, string[]>;
  max_file_bytes: Generated<number>;
  name_rule: Generated<"none" | "geo_code_prefix">;
  sort_order: Generated<number>;
}

export interface FormSubmissionTable {
  key: string;
  user_id: number;
  created_at: Timestamp;
  result: Generated<string>;
}

/** A calendar day, 'YYYY-MM-DD', in the America/Montreal time zone. */
export type Day = string;

export interface ProcurationTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  start_date: Day;
  end_date: Day;
  created_by: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  ended_at: Timestamp | null;
  ended_by: number | null;
}

export interface ProcurationMinistryTable {
  procuration_id: number;
  ministry_id: number;
  restricted: boolean;
}

export interface ProcurationServiceTable {
  procuration_id: number;
  ministry_id: number;
  service_id: number;
}

export interface ProcurationHolderTable {
  id: Generated<number>;
  procuration_id: number;
  user_id: number;
  assigned_at: Timestamp;
  assigned_by: number;
  ended_at: Timestamp | null;
  ended_by: number | null;
}

export interface ProcurationReminderTable {
  procuration_id: number;
  end_date: Day;
  days_before: 30 | 7;
  sent_at: Timestamp;
}

/** A reminder sent before an end date (migrations/0022); kind names the table of item_id. */
export interface EndReminderTable {
  kind: "access_grant";
  item_id: number;
  days_before: 30 | 7;
  end_date: Day;
  sent_at: Timestamp;
}

/** The one reminder email a person got on a day in Québec (migrations/0022). */
export interface ReminderDigestTable {
  user_id: number;
  day: Day;
  sent_at: Timestamp;
  reminders: number;
}

export interface IdentificationCodeTable {
  organization_id: number;
  code_hash: string;
  issued_at: Timestamp;
  issued_by: number | null;
}

export interface IdentificationCodeFailureTable {
  id: Generated<number>;
  organization_id: number;
  user_id: number | null;
  ip: string | null;
  at: Timestamp;
}

export type ManagerRole = "local_manager" | "agent_manager";
export type AccessRequestStatus = "pending" | "approved" | "rejected";

export interface AccessRequestTable {
  id: Generated<number>;
  role: ManagerRole;
  replacement: Generated<boolean>;
  organization_id: number;
  service_point_id: number | null;
  service_id: number;
  status: Generated<AccessRequestStatus>;
  filed_by: number;
  filed_at: Timestamp;
  authority_civility: "M." | "Mme";
  authority_last_name: string;
  authority_first_name: string;
  authority_job_title: string;
  authority_phone: string;
  authority_phone_extension: string | null;
  authority_email: string;
  designated_user_id: number;
  organization_details: DefaultJson;
  reason: string | null;
  decided_at: Timestamp | null;
  decided_by: number | null;
  rejection_reason: string | null;
}

export type ServiceRoleName = "local_manager" | "deputy" | "agent_manager";

export interface ServiceRoleTable {
  id: Generated<number>;
  role: ServiceRoleName;
  organization_id: number;
  service_point_id: number | null;
  service_id: number;
  user_id: number;
  granted_at: Timestamp;
  granted_by: number | null;
  access_request_id: number | null;
  ended_at: Timestamp | null;
  ended_by: number | null;
  end_reason: string | null;
}

export type AccessRight = "requester.write" | "requester.read" | "agent.write" | "agent.read";

export interface ServiceAssociationTable {
  id: Generated<number>;
  service_point_id: number;
  service_id: number;
  user_id: number;
  associated_at: Timestamp;
  associated_by: number;
  ended_at: Timestamp | null;
  ended_by: number | null;
  end_reason: "dissociated" | "disabled" | null;
}

export interface AccessGrantTable {
  id: Generated<number>;
  organization_id: number;
  service_id: number;
  user_id: number;
  access_right: AccessRight;
  association_id: number | null;
  granted_at: Timestamp;
  granted_by: number;
  valid_until: Day | null;
  changed_at: Timestamp | null;
  changed_by: number | null;
  ended_at: Timestamp | null;
  ended_by: number | null;
  end_reason: "revoked" | "dissociated" | "expired" | null;
}

export interface ProgramFormTable {
  id: Generated<number>;
  service_id: number;
  version: number;
  definition: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

export type ApplicationStatus = "draft" | "transmitted";

export interface ApplicationTable {
  id: Generated<number>;
  number: Generated<number>;
  organization_id: number;
  service_id: number;
  form_id: number;
  status: ColumnType<ApplicationStatus, ApplicationStatus | undefined, ApplicationStatus>;
  title: string;
  data: ColumnType<Record<string, string | number>, string | undefined, string>;
  revision: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  created_by: number;
  updated_at: Timestamp;
  updated_by: number;
  transmitted_at: Timestamp | null;
  transmitted_by: number | null;
  transmission_number: ColumnType<number | null, number | null | undefined, number | null>;
  previous_id: number | null;
}

export interface ApplicationVersionTable {
  application_id: number;
  revision: number;
  status: ApplicationStatus;
  title: string;
  data: ColumnType<Record<string, string | number>, string, string>;
  saved_at: Timestamp;
  saved_by: number;
}

export interface ApplicationAttachmentTable {
  id: Generated<number>;
  application_id: number;
  field: string;
  name: string;
  size_bytes: number;
  sha256: Buffer;
  storage_key: string;
  uploaded_at: Timestamp;
  uploaded_by: number;
  removed_at: Timestamp | null;
  removed_by: number | null;
}

/** A nullable reference an insert may leave out. */
type OptionalId = ColumnType<number | null, number | null | undefined, number | null>;

/** An agent on one dossier of a client: an application, or a declared dossier (exactly one of the two). */
export interface MandateTable {
  id: Generated<number>;
  application_id: OptionalId;
  declared_dossier_id: OptionalId;
  agent_user_id: number;
  assigned_at: Timestamp;
  assigned_by: number;
  ended_at: Timestamp | null;
  ended_by: number | null;
  end_reason: "ended" | "dissociated" | "right_ended" | "dossier_closed" | null;
}

/** A dossier an online service keeps on its own servers, declared so that mandates and decisions can name it. */
export interface DeclaredDossierTable {
  id: Generated<number>;
  service_id: number;
  external_id: string;
  organization_id: number;
  title: string;
  declared_at: Timestamp;
  closed_at: Timestamp | null;
}

/** A pairwise subject handed to a ministry, and the person it names (migration 0015). */
export interface PairwiseSubjectTable {
  ministry_id: number;
  sub: string;
  user_id: number;
  issued_at: Timestamp;
}

/** A transaction that changed what a decision reads (migration 0018): its id as text, and when it began. */
export interface RegistryChangeTable {
  xid: string;
  at: DefaultTimestamp;
}

export interface FileTransferDraftTable {
  id: Generated<number>;
  user_id: number;
  organization_id: number;
  recipient_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface FileTransferDraftFileTable {
  id: Generated<number>;
  draft_id: number;
  name: string;
  size_bytes: number;
  /** Lowercase hex. */
  sha256: string;
  content_type: string;
  storage_key: string;
  added_at: Timestamp;
}

export interface FileTransferTable {
  id: Generated<number>;
  /** Ten digits from the file_transfer_confirmation sequence. */
  confirmation_number: Generated<number>;
  organization_id: number;
  recipient_id: number;
  sender_user_id: number;
  sent_at: Timestamp;
  certified: boolean;
}

export interface FileTransferFileTable {
  id: Generated<number>;
  transfer_id: number;
  position: number;
  name: string;
  size_bytes: number;
  sha256: string;
  content_type: string;
  storage_key: string;
}

export interface TransferRecipientStaffTable {
  recipient_id: number;
  user_id: number;
  assigned_at: Timestamp;
}

/** One stored model of oidc-provider (migrations/0010_oidc.sql); the payload is the provider's, kept whole. */
export interface OidcPayloadTable {
  model: string;
  id: string;
  /** json, written as text: the provider's payload. */
  payload: ColumnType<AdapterPayload, string, string>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
  /** For a provider Session: the hash of the Guichet session it was opened in. */
  guichet_session: Buffer | null;
}

export type OidcSigningAlgorithm = "ES256" | "RS256";

export interface OidcSigningKeyTable {
  kid: string;
  algorithm: OidcSigningAlgorithm;
  /** The private JWK, sealed (AES-256-GCM) and bound to the kid. */
  private_jwk_ciphertext: Buffer;
  created_at: Timestamp;
  activated_at: Timestamp;
  /** From then on the key signs nothing; it still verifies until forget_after. */
  retired_at: Timestamp | null;
  forget_after: Timestamp | null;
}

export type ClientAuthMethod = "private_key_jwt" | "client_secret_basic";
export type MinAssurance = "password" | "mfa";

/** An external online service's OpenID client (migrations/0011_external_services.sql). */
export interface OidcClientTable {
  id: Generated<number>;
  client_id: string;
  online_service_id: number;
  ministry_id: number;
  name: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  auth_method: ClientAuthMethod;
  jwks_uri: string | null;
  /** SHA-256 of the secret, for client_secret_basic; never the secret. */
  secret_hash: Buffer | null;
  min_assurance: MinAssurance;
  created_at: Timestamp;
  updated_at: Timestamp;
  disabled_at: Timestamp | null;
  secret_rotated_at: Timestamp | null;
}

/** The periodic jobs' lease (jobs.ts): one row, `hourly`. */
export interface JobLeaseTable {
  name: string;
  holder: string | null;
  held_until: Timestamp | null;
  last_hour: Timestamp | null;
}

/** Why a manager can no longer act: the alert's cause (migration 0023). */
export type ManagerGapCause = "disabled" | "no_procuration" | "removed";

export interface ManagerAlertTable {
  service_role_id: number;
  cause: ManagerGapCause;
  organization_id: number;
  service_id: number;
  user_id: number;
  sent_at: Timestamp;
}

/** What an access review's line is about (migration 0025): the table its item_id names. */
export type ReviewLineKind = "access_grant" | "deputy" | "mandate" | "procuration_holder";
export type ReviewDecision = "confirmed" | "removed";
/** The deadline's outcome for a line nobody decided; « gone » when its item had already ended. */
export type ReviewOutcome = "ended" | "flagged" | "gone";
export type ReviewUnconfirmed = "end" | "keep";
export type ReviewStage = "start" | "halfway" | "week";

/** A review campaign of (organization, service); service_id null for the organization's procuration holders. */
export interface ReviewCampaignTable {
  id: Generated<number>;
  organization_id: number;
  service_id: number | null;
  launched_by: number | null;
  started_at: Timestamp;
  deadline: Timestamp;
  unconfirmed: ReviewUnconfirmed;
  closed_at: Timestamp | null;
}

export interface ReviewLineTable {
  id: Generated<number>;
  campaign_id: number;
  kind: ReviewLineKind;
  item_id: number;
  subject_user_id: number;
  decision: ReviewDecision | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  outcome: ReviewOutcome | null;
}

export interface ReviewReminderTable {
  campaign_id: number;
  stage: ReviewStage;
  sent_at: Timestamp;
}

export type RightRequestStatus = "open" | "approved" | "refused" | "expired";

/** « Demander un accès » (migrations/0024): a person's request for a right, decided by L or D of (O,S). */
export interface RightRequestTable {
  id: Generated<number>;
  user_id: number;
  organization_id: number;
  service_id: number;
  access_right: AccessRight;
  application_id: number | null;
  message: ColumnType<string, string | undefined, string>;
  status: ColumnType<RightRequestStatus, RightRequestStatus | undefined, RightRequestStatus>;
  created_at: Timestamp;
  expires_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: number | null;
  refusal_reason: string | null;
  grant_id: number | null;
}

export interface DB {
  organization: OrganizationTable;
  ministry_unit: MinistryUnitTable;
  service_point: ServicePointTable;
  app_user: AppUserTable;
  session: SessionTable;
  totp_factor: TotpFactorTable;
  recovery_code: RecoveryCodeTable;
  passkey: PasskeyTable;
  webauthn_challenge: WebauthnChallengeTable;
  pending_sign_in: PendingSignInTable;
  step_up_request: StepUpRequestTable;
  account_token: AccountTokenTable;
  sign_in_failure: SignInFailureTable;
  known_device: KnownDeviceTable;
  audit_event: AuditEventTable;
  mail_outbox: MailOutboxTable;
  backchannel_outbox: BackchannelOutboxTable;
  online_service: OnlineServiceTable;
  transfer_recipient: TransferRecipientTable;
  oidc_client: OidcClientTable;
  form_submission: FormSubmissionTable;
  procuration: ProcurationTable;
  procuration_ministry: ProcurationMinistryTable;
  procuration_service: ProcurationServiceTable;
  procuration_holder: ProcurationHolderTable;
  procuration_reminder: ProcurationReminderTable;
  identification_code: IdentificationCodeTable;
  identification_code_failure: IdentificationCodeFailureTable;
  access_request: AccessRequestTable;
  service_role: ServiceRoleTable;
  service_association: ServiceAssociationTable;
  access_grant: AccessGrantTable;
  program_form: ProgramFormTable;
  application: ApplicationTable;
  application_version: ApplicationVersionTable;
  application_attachment: ApplicationAttachmentTable;
  mandate: MandateTable;
  declared_dossier: DeclaredDossierTable;
  pairwise_subject: PairwiseSubjectTable;
  registry_change: RegistryChangeTable;
  file_transfer_draft: FileTransferDraftTable;
  file_transfer_draft_file: FileTransferDraftFileTable;
  file_transfer: FileTransferTable;
  file_transfer_file: FileTransferFileTable;
  transfer_recipient_staff: TransferRecipientStaffTable;
  oidc_payload: OidcPayloadTable;
  oidc_signing_key: OidcSigningKeyTable;
  job_lease: JobLeaseTable;
  end_reminder: EndReminderTable;
  reminder_digest: ReminderDigestTable;
  manager_alert: ManagerAlertTable;
  review_campaign: ReviewCampaignTable;
  review_line: ReviewLineTable;
  review_reminder: ReviewReminderTable;
  right_request: RightRequestTable;
}
