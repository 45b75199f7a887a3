// File transfers: a user of a municipality or a body sends with a procuration covering the recipient's ministry;
// the ministry staff assigned to a recipient read its inbox and download its files; a draft is its author's alone.
import type { UserActor } from "./actor.js";
import { ALLOW, type Decision, deny } from "./decision.js";
import { type MinistryActResource, procurationRules } from "./procurations.rules.js";

/** Sending to a recipient (or staging files for it, or reading the organization's transfers to its ministry). */
export type TransferSendResource = MinistryActResource;

/** A recipient's inbox, or one of its files: the ministry that receives, and the recipients the actor is assigned to. */
export type RecipientInboxResource = {
  ministryId: number;
  recipientId: number;
  /** The recipients whose staff the actor belongs to, as loaded from transfer_recipient_staff. */
  staffOf: readonly number[];
  /** The sender's organization, when the resource is a transfer's file. */
  organizationId?: number;
};

/** A draft of staged files: only the user who started it may add to it, remove from it or send it. */
export type DraftResource = { organizationId: number; draftUserId: number };

const SENDING_KINDS: readonly string[] = ["municipality", "body"];

function sender(actor: UserActor, resource: TransferSendResource): Decision {
  if (actor.organizationId !== resource.organizationId) return deny("other_organization");
  // Firms send through their clients; ministries receive.
  if (!SENDING_KINDS.includes(actor.organizationKind)) return deny("not_sending_organization");
  return procurationRules["organization.actWithMinistry"](actor, resource);
}

function recipientStaff(actor: UserActor, resource: RecipientInboxResource): Decision {
  if (actor.organizationKind !== "ministry" || actor.organizationId !== resource.ministryId)
    return deny("other_ministry");
  return resource.staffOf.includes(resource.recipientId) ? ALLOW : deny("not_recipient_staff");
}

export const fileTransferRules = {
  "fileTransfer.send": sender,
  "fileTransfer.viewHistory": sender,
  "fileTransfer.editDraft": (actor: UserActor, resource: DraftResource): Decision => {
    if (actor.organizationId !== resource.organizationId) return deny("other_organization");
    return actor.userId === resource.draftUserId ? ALLOW : deny("not_own_draft");
  },
  "fileTransfer.viewInbox": recipientStaff,
  "fileTransfer.download": recipientStaff,
} as const;
