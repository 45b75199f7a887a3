// « Revue des accès » (issue #15, section 2): campaigns per (organization, service), and one per organization for its
// procuration holders, started every REVIEW_INTERVAL_MONTHS by the hourly job or by a ministry for one of its services;
// the local manager and deputies (the services officer for procuration holders and the managers' own lines) confirm
// or remove each line, never their own; reminders at the start, halfway and 7 days before the deadline, each once;
// at the deadline, what nobody confirmed is ended (or kept and flagged). A removal ends the item through its own
// feature's path (registry, procurations, mandates), so its email, audit and « no stale allow » stay theirs.
import type { Kysely } from "kysely";
import type { ReviewSettings } from "../../config.js";
import type { Ctx } from "../../context.js";
import type { DB, ReviewDecision, ReviewStage, ReviewUnconfirmed } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import { ANONYMOUS, type UserActor } from "../../policy/actor.js";
import { authorize, can } from "../../policy/policy.js";
import { reviewLineDecider } from "../../policy/reviews.rules.js";
import { formatMoment, montrealDay } from "../../util/days.js";
import type { FieldErrors } from "../../web/forms.js";
import { serviceTitle } from "../../web/localized.js";
import { type MessageKey, type Translate, translator } from "../../web/messages.js";
import { endMandateWithin } from "../applications/applications.service.js";
import { recordAudit } from "../audit/audit.service.js";
import { requireUser } from "../auth/auth.service.js";
import { ministryServiceFilter } from "../back-office/back-office.service.js";
import { queueMail } from "../mail/mail.service.js";
import { removeHolderWithin } from "../procurations/procurations.service.js";
import {
  authorizeService,
  authorizeServiceWith,
  endDeputyWithin,
  endGrantWithin,
  type RegistryService,
  type ServiceTarget,
  serviceDecisions,
} from "../registry/registry.service.js";
import { toCsv } from "../registry/who-has-access.js";
import * as q from "./reviews.queries.js";

export type LineRow = q.LineRow;
export type HistoryRow = q.HistoryRow;
export type CompletionRow = q.CompletionRow;

export const HISTORY_PATH = "/revues";
export const COMPLETION_PATH = "/ministere/revues";
export const LINE_PATH = "/revues/lignes";
export const MINISTRY_LINES_PATH = "/ministere/revues/lignes";

export function managerReviewPath(serviceCode: string, organizationId: number): string {
  return `/services/${encodeURIComponent(serviceCode)}/organisations/${organizationId}/revue`;
}

export function campaignPath(campaignId: number): string {
  return `${HISTORY_PATH}/${campaignId}`;
}

const DAY_MS = 24 * 3_600_000;
const BATCH = 200;
const HISTORY_LIMIT = 100;
const CSV_LIMIT = 20_000;

// --- Starting campaigns

/**
 * Opens the campaigns of one organization: its procuration holders' (service null, unless `serviceId` is given) and
 * one for each service where it has a manager (or just `serviceId`), each with its lines, each audited. A campaign
 * already open for the same (organization, service) is left as it is. Returns the ids opened.
 */
async function openCampaigns(
  ctx: Pick<Ctx, "db" | "actor" | "now" | "ip">,
  organizationId: number,
  settings: Pick<ReviewSettings, "days" | "unconfirmed">,
  serviceId?: number,
): Promise<number[]> {
  const today = montrealDay(ctx.now);
  const launchedBy = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const deadline = new Date(ctx.now.getTime() + settings.days * DAY_MS);
  const scopes: (number | null)[] = [
    ...(serviceId === undefined ? [null] : []),
    ...(await q.listManagedServices(ctx.db, organizationId, serviceId)),
  ];
  const opened: number[] = [];
  for (const scope of scopes) {
    const id = await q.openCampaign(ctx.db, {
      organizationId,
      serviceId: scope,
      launchedBy,
      startedAt: ctx.now,
      deadline,
      unconfirmed: settings.unconfirmed,
    });
    if (id === null) continue;
    if (scope === null) await q.insertHolderLines(ctx.db, id, organizationId, today);
    else await q.insertServiceLines(ctx.db, id, organizationId, scope, today);
    await recordAudit(ctx, {
      action: launchedBy === null ? "review.start" : "review.launch",
      organizationId,
      serviceId: scope,
      targetType: "review_campaign",
      targetId: id,
      details: {
        serviceId: scope,
        deadline: deadline.toISOString(),
        unconfirmed: settings.unconfirmed,
        lines: await q.countLines(ctx.db, id),
      },
    });
    opened.push(id);
  }
  return opened;
}

function monthsBefore(now: Date, months: number): Date {
  const at = new Date(now.getTime());
  at.setUTCMonth(at.getUTCMonth() - months);
  return at;
}

/** The hourly job: opens the scheduled campaigns of every organization that is due, each in its own transaction. */
export async function startDueCampaigns(
  db: Kysely<DB>,
  now: Date,
  settings: ReviewSettings,
): Promise<number> {
  const due = await q.findDueOrganizations(db, monthsBefore(now, settings.intervalMonths), BATCH);
  let opened = 0;
  for (const organization of due) {
    const ids = await db
      .transaction()
      .execute((trx) =>
        openCampaigns({ db: trx, actor: ANONYMOUS, now, ip: null }, organization.id, settings),
      );
    opened += ids.length;
  }
  return opened;
}

export type LaunchOutcome =
  | { ok: true; opened: number; skipped: number; serviceId: number }
  | { ok: false; errors: FieldErrors };

/**
 * A ministry's service administrator launches a campaign for one of its services: one for every organization with a
 * manager there, in one transaction; an organization whose campaign is open already keeps it.
 */
export async function launchCampaign(ctx: Ctx, input: { service: string }): Promise<LaunchOutcome> {
  const filter = await ministryServiceFilter(ctx, "review.launch", input.service);
  const serviceId = filter.serviceId;
  if (serviceId === undefined) return { ok: false, errors: filter.errors };
  if (serviceId === null) return { ok: false, errors: { service: { key: "reviews.launchServiceRequired" } } };
  const organizations = await q.listManagedOrganizations(ctx.db, serviceId);
  const opened = await ctx.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const organizationId of organizations)
      count += (await openCampaigns({ ...ctx, db: trx }, organizationId, ctx.app.review, serviceId)).length;
    return count;
  });
  return { ok: true, opened, skipped: organizations.length - opened, serviceId };
}

// --- Reminders

const STAGES: readonly ReviewStage[] = ["start", "halfway", "week"];

/** When each reminder falls due: at the start, halfway to the deadline, and 7 days before it. */
function stageDue(stage: ReviewStage, campaign: { started_at: Date; deadline: Date }): number {
  const start = campaign.started_at.getTime();
  const end = campaign.deadline.getTime();
  if (stage === "start") return start;
  if (stage === "halfway") return start + (end - start) / 2;
  return end - 7 * DAY_MS;
}

/**
 * The hourly job: each campaign's reminders that fell due, claimed once (review_reminder) in the transaction that
 * queues their mails. A run that finds several due at once (a server stopped for days) claims them all and mails
 * the latest only; a campaign with nothing left to decide claims them and mails nobody. Returns the mails queued.
 */
export async function sendReviewReminders(db: Kysely<DB>, now: Date, publicUrl: string): Promise<number> {
  const campaigns = await q.findCampaignsToRemind(db, now, 1000);
  let mails = 0;
  for (const campaign of campaigns) {
    const due = STAGES.filter(
      (stage) => !campaign.sent.includes(stage) && stageDue(stage, campaign) <= now.getTime(),
    );
    if (due.length === 0) continue;
    mails += await db.transaction().execute(async (trx) => {
      const claimed = await q.claimStages(trx, campaign.id, due, now);
      const latest = STAGES.filter((stage) => claimed.includes(stage)).at(-1);
      if (latest === undefined || campaign.pending === 0) return 0;
      const reviewers = await q.listReviewers(trx, campaign.organization_id, campaign.service_id);
      for (const reviewer of reviewers)
        await queueMail(trx, reminderMail(reviewer, campaign, latest, publicUrl), now);
      await recordAudit(
        { db: trx, actor: ANONYMOUS, now, ip: null },
        {
          action: "review.reminder",
          organizationId: campaign.organization_id,
          serviceId: campaign.service_id,
          targetType: "review_campaign",
          targetId: campaign.id,
          details: {
            stage: latest,
            claimed,
            pending: campaign.pending,
            recipients: reviewers.map((r) => r.id),
          },
        },
      );
      return reviewers.length;
    });
  }
  return mails;
}

type Campaign = Awaited<ReturnType<typeof q.findCampaignsToRemind>>[number];
type Reviewer = Awaited<ReturnType<typeof q.listReviewers>>[number];

function reminderMail(person: Reviewer, campaign: Campaign, stage: ReviewStage, publicUrl: string) {
  const t = translator(person.locale);
  const scope =
    campaign.service_code === null
      ? t("mail.review.holders")
      : serviceTitle(person.locale, {
          code: campaign.service_code,
          name: campaign.service_name ?? campaign.service_code,
          name_en: campaign.service_name_en,
        });
  const link =
    campaign.service_code === null
      ? `${publicUrl}${HISTORY_PATH}`
      : `${publicUrl}${managerReviewPath(campaign.service_code, campaign.organization_id)}`;
  return {
    to: person.email,
    subject: t(`mail.review.subject.${stage}`, { scope: campaign.service_code ?? t("mail.review.holders") }),
    text: t("mail.review.body", {
      name: `${person.first_name} ${person.last_name}`,
      organization: campaign.organization_name,
      scope,
      pending: campaign.pending,
      deadline: formatMoment(campaign.deadline, person.locale),
      unconfirmed: t(`reviews.unconfirmed.${campaign.unconfirmed}`),
      link,
    }),
  };
}

// --- The deadline

/**
 * The hourly job: closes each campaign past its deadline in its own transaction (the close claims it, so two runs
 * close it once). A line nobody decided is ended through its own feature's path, which emails its person (or, with
 * `keep`, flagged); a line whose item had already ended is marked gone. Returns the number of items ended.
 */
export async function closeDueCampaigns(db: Kysely<DB>, now: Date, app: Ctx["app"]): Promise<number> {
  let ended = 0;
  for (;;) {
    const campaigns = await q.findCampaignsToClose(db, now, BATCH);
    for (const campaign of campaigns) {
      ended += await db.transaction().execute(async (trx) => {
        const ctx: Ctx = { db: trx, actor: ANONYMOUS, now, ip: null, app };
        if (!(await q.closeCampaign(trx, campaign.id, now))) return 0;
        const lines = await q.listUndecidedLines(trx, campaign.id);
        let count = 0;
        const outcomes = { ended: 0, flagged: 0, gone: 0 };
        for (const line of lines) {
          let outcome: "ended" | "flagged" | "gone";
          if (campaign.unconfirmed === "keep") outcome = "flagged";
          else outcome = (await endItem(ctx, campaign, line, "deadline")) ? "ended" : "gone";
          await q.setOutcome(trx, line.id, outcome);
          outcomes[outcome]++;
          if (outcome === "ended") count++;
        }
        await recordAudit(ctx, {
          action: "review.close",
          organizationId: campaign.organization_id,
          serviceId: campaign.service_id,
          targetType: "review_campaign",
          targetId: campaign.id,
          details: { unconfirmed: campaign.unconfirmed, ...outcomes },
        });
        return count;
      });
    }
    if (campaigns.length < BATCH) break;
  }
  if (ended > 0) app.mailQueued();
  return ended;
}

/** The campaign's service as the owning features take it. */
function serviceOf(campaign: {
  service_id: number | null;
  service_code: string | null;
  service_name: string | null;
  service_name_en: string | null;
  ministry_id: number | null;
}): RegistryService | null {
  if (campaign.service_id === null || campaign.service_code === null || campaign.ministry_id === null)
    return null;
  return {
    id: campaign.service_id,
    code: campaign.service_code,
    name: campaign.service_name ?? campaign.service_code,
    name_en: campaign.service_name_en,
    ministry_id: campaign.ministry_id,
  };
}

/**
 * Ends one line's item through its own feature, in the caller's transaction, as the context's actor (nobody, for the
 * deadline). False when it had ended already.
 */
async function endItem(
  ctx: Ctx,
  campaign: Parameters<typeof serviceOf>[0] & { id: number; organization_id: number },
  line: { kind: q.ReviewLineKind; item_id: number; subject_user_id: number },
  cause: "removed" | "deadline",
): Promise<boolean> {
  const details = { review: campaign.id, cause };
  if (line.kind === "procuration_holder") {
    const holder = await q.findHolder(ctx.db, line.item_id);
    return holder ? removeHolderWithin(ctx, holder.procuration_id, holder.user_id, details) : false;
  }
  const service = serviceOf(campaign);
  if (service === null) return false;
  const target: ServiceTarget = { service, organizationId: campaign.organization_id };
  if (line.kind === "access_grant") return endGrantWithin(ctx, target, line.item_id, details);
  if (line.kind === "deputy") return endDeputyWithin(ctx, target, line.item_id, "review", details);
  return endMandateWithin(ctx, service, line.item_id);
}

// --- Deciding a line

/** The page a decision is made from, and goes back to: the manager's of (O,S), the services officer's, the ministry's. */
export type ReviewPage =
  | { kind: "manager"; serviceCode: string; organizationId: number }
  | { kind: "officer" }
  | { kind: "ministry" };

type Decider = ReviewPage["kind"];

export type DecideOutcome =
  | { ok: true; name: string; back: ReviewPage }
  | { ok: false; status: 403 | 409; key: MessageKey; back: ReviewPage };

export function reviewPagePath(back: ReviewPage): string {
  if (back.kind === "manager") return managerReviewPath(back.serviceCode, back.organizationId);
  return back.kind === "officer" ? HISTORY_PATH : MINISTRY_LINES_PATH;
}

function backOf(line: LineRow, as: Decider): ReviewPage {
  if (as === "manager" && line.service_code !== null)
    return { kind: "manager", serviceCode: line.service_code, organizationId: line.organization_id };
  return as === "ministry" ? { kind: "ministry" } : { kind: "officer" };
}

/**
 * Who decides this line: the local manager or a deputy of (O,S) for its rights, deputies and mandates; the services
 * officer for its procuration holders; for the managers' own lines, also the services officer, then the owning
 * ministry's service administrators. Throws the policy's refusal otherwise (a line of another organization:
 * other_organization, audited).
 */
async function authorizeLine(ctx: Ctx, line: LineRow): Promise<{ actor: UserActor; as: Decider }> {
  const actor = requireUser(ctx.actor);
  const officer = { organizationId: line.organization_id };
  const service = serviceOf(line);
  if (service === null) return { actor: authorize(actor, "review.decideAsOfficer", officer), as: "officer" };
  const target = { service, organizationId: line.organization_id };
  const decide = await serviceDecisions(ctx, target);
  if (decide("review.decide").allowed) return { actor, as: "manager" };
  if (line.manager_line) {
    if (can(actor, "review.decideAsOfficer", officer).allowed) return { actor, as: "officer" };
    const ministry = { ministryId: service.ministry_id, organizationId: line.organization_id };
    if (can(actor, "review.decideAsMinistry", ministry).allowed) return { actor, as: "ministry" };
  }
  // None of them: the registry's refusal, with its reason, is the one recorded.
  await authorizeService(ctx, "review.decide", target);
  throw new AppError("forbidden");
}

/**
 * Confirms or removes one line, once, before the deadline, never one's own. A removal ends its item in the same
 * transaction, through the item's own feature (its email, its audit). Nothing is written on a refusal.
 */
export async function decideReviewLine(
  ctx: Ctx,
  lineId: number,
  decision: ReviewDecision,
): Promise<DecideOutcome> {
  const line = Number.isSafeInteger(lineId) ? await q.findLine(ctx.db, lineId) : undefined;
  if (
    !line ||
    line.line_id === null ||
    line.kind === null ||
    line.item_id === null ||
    line.subject_user_id === null
  ) {
    requireUser(ctx.actor);
    throw new AppError("not_found");
  }
  const { actor, as } = await authorizeLine(ctx, line);
  const back = backOf(line, as);
  const name = `${line.first_name ?? ""} ${line.last_name ?? ""}`.trim();
  if (!reviewLineDecider(actor, { subjectUserId: line.subject_user_id }).allowed)
    return { ok: false, status: 403, key: "reviews.ownLine", back };
  if (line.decision !== null || line.outcome !== null)
    return { ok: false, status: 409, key: "reviews.alreadyDecided", back };
  if (line.closed_at !== null || line.deadline.getTime() <= ctx.now.getTime())
    return { ok: false, status: 409, key: "reviews.pastDeadline", back };
  const { kind, item_id, subject_user_id } = line;
  const decided = await ctx.db.transaction().execute(async (trx) => {
    const inTrx: Ctx = { ...ctx, db: trx };
    if (!(await q.decideLine(trx, lineId, decision, actor.userId, ctx.now))) return false;
    const ended =
      decision === "removed"
        ? await endItem(
            inTrx,
            { ...line, id: line.campaign_id },
            { kind, item_id, subject_user_id },
            "removed",
          )
        : false;
    await recordAudit(inTrx, {
      action: decision === "confirmed" ? "review.confirm" : "review.remove",
      organizationId: line.organization_id,
      serviceId: line.service_id,
      subjectUserId: subject_user_id,
      targetType: "review_line",
      targetId: lineId,
      details: {
        campaign: line.campaign_id,
        kind,
        itemId: item_id,
        as,
        ...(decision === "removed" ? { ended } : {}),
      },
    });
    return true;
  });
  if (!decided) {
    // Another submission decided it first, or the deadline passed meanwhile.
    return {
      ok: false,
      status: 409,
      key: line.deadline.getTime() <= ctx.now.getTime() ? "reviews.pastDeadline" : "reviews.alreadyDecided",
      back,
    };
  }
  if (decision === "removed") ctx.app.mailQueued();
  return { ok: true, name, back };
}

// --- Pages

export type CampaignView = {
  id: number;
  organizationId: number;
  organizationName: string;
  serviceCode: string | null;
  serviceName: string | null;
  serviceNameEn: string | null;
  startedAt: Date;
  deadline: Date;
  closedAt: Date | null;
  unconfirmed: ReviewUnconfirmed;
  launchedBy: number | null;
  lines: DecidedLine[];
};

/** A line as a page shows it: whether the reader may decide it now. */
export type DecidedLine = LineRow & { line_id: number; decidable: boolean; own: boolean };

function campaignOf(
  rows: readonly LineRow[],
  decidable: (row: LineRow) => boolean,
  actorId: number,
  now: Date,
): CampaignView | null {
  const first = rows[0];
  if (!first) return null;
  const lines: DecidedLine[] = [];
  for (const row of rows) {
    if (row.line_id === null) continue;
    const own = row.subject_user_id === actorId;
    const open =
      row.closed_at === null &&
      row.deadline.getTime() > now.getTime() &&
      row.decision === null &&
      row.outcome === null;
    lines.push({ ...row, line_id: row.line_id, own, decidable: open && !own && decidable(row) });
  }
  return {
    id: first.campaign_id,
    organizationId: first.organization_id,
    organizationName: first.organization_name,
    serviceCode: first.service_code,
    serviceName: first.service_name,
    serviceNameEn: first.service_name_en,
    startedAt: first.started_at,
    deadline: first.deadline,
    closedAt: first.closed_at,
    unconfirmed: first.unconfirmed,
    launchedBy: first.launched_by,
    lines,
  };
}

/** The manager's page of (O,S): its latest campaign and its lines, those the reader may decide marked. */
export async function managerReview(ctx: Ctx, target: ServiceTarget): Promise<CampaignView | null> {
  const { actor, decide } = await authorizeServiceWith(ctx, "review.view", target);
  const rows = await q.listLatestCampaign(ctx.db, target.organizationId, target.service.id);
  const canDecide = decide("review.decide").allowed;
  return campaignOf(rows, () => canDecide, actor.userId, ctx.now);
}

/** The services officer's page: the lines waiting for them, and the organization's history. */
export async function organizationReviews(ctx: Ctx) {
  const user = requireUser(ctx.actor);
  const actor = authorize(user, "review.history", { organizationId: user.organizationId });
  const [waiting, history] = await Promise.all([
    q.listOfficerLines(ctx.db, actor.organizationId, ctx.now),
    q.listHistory(ctx.db, actor.organizationId, HISTORY_LIMIT),
  ]);
  const lines: DecidedLine[] = waiting
    .filter((row): row is LineRow & { line_id: number } => row.line_id !== null)
    .map((row) => {
      const own = row.subject_user_id === actor.userId;
      return { ...row, own, decidable: !own };
    });
  return { lines, history };
}

/** One campaign of the organization, for its services officer. Another organization's is refused (audited). */
export async function organizationCampaign(ctx: Ctx, campaignId: number): Promise<CampaignView> {
  const actor = requireUser(ctx.actor);
  const rows = Number.isSafeInteger(campaignId) ? await q.listCampaign(ctx.db, campaignId) : [];
  const first = rows[0];
  if (!first) {
    authorize(actor, "review.history", { organizationId: actor.organizationId });
    throw new AppError("not_found");
  }
  authorize(actor, "review.history", { organizationId: first.organization_id });
  const campaign = campaignOf(
    rows,
    (row) => row.service_id === null || row.manager_line,
    actor.userId,
    ctx.now,
  );
  if (!campaign) throw new AppError("not_found");
  return campaign;
}

/** The organization's history as a CSV file: every line of its campaigns, newest first. */
export async function historyCsv(ctx: Ctx, t: Translate, locale: "fr" | "en"): Promise<string> {
  const actor = requireUser(ctx.actor);
  authorize(actor, "review.history", { organizationId: actor.organizationId });
  const rows = await q.listHistoryLines(ctx.db, actor.organizationId, CSV_LIMIT);
  const moment = (at: Date | null) => (at === null ? "" : formatMoment(at, locale));
  return toCsv([
    [
      t("reviews.csv.campaign"),
      t("reviews.csv.service"),
      t("reviews.csv.started"),
      t("reviews.csv.deadline"),
      t("reviews.csv.closed"),
      t("reviews.csv.kind"),
      t("reviews.csv.userCode"),
      t("reviews.csv.person"),
      t("reviews.csv.detail"),
      t("reviews.csv.decision"),
      t("reviews.csv.decidedBy"),
      t("reviews.csv.decidedAt"),
      t("reviews.csv.outcome"),
    ],
    ...rows.map((row) => [
      String(row.campaign_id),
      row.service_code ?? t("reviews.csv.holders"),
      moment(row.started_at),
      moment(row.deadline),
      moment(row.closed_at),
      row.kind === null ? "" : t(`reviews.kind.${row.kind}`),
      row.user_code ?? "",
      `${row.first_name ?? ""} ${row.last_name ?? ""}`.trim(),
      lineDetail(t, row),
      row.decision === null ? "" : t(row.decision === "confirmed" ? "reviews.confirm" : "reviews.remove"),
      row.decider_first_name === null
        ? ""
        : `${row.decider_first_name} ${row.decider_last_name ?? ""}`.trim(),
      moment(row.decided_at),
      row.outcome === null ? "" : t(`reviews.status.${row.outcome}`),
    ]),
  ]);
}

/** What a line is about, in words: the right, the dossier, the procuration. */
export function lineDetail(t: Translate, row: LineRow): string {
  if (row.access_right !== null) return t(`registry.right.${row.access_right}`);
  if (row.dossier !== null) return t("reviews.detail.dossier", { dossier: row.dossier });
  if (row.procuration_name !== null) return row.procuration_name;
  return "";
}

/** The managers' own lines waiting in the ministry's services: another manager, the RSE or the ministry decides them. */
export async function ministryReviewLines(ctx: Ctx): Promise<DecidedLine[]> {
  const user = requireUser(ctx.actor);
  const actor = authorize(user, "review.decideAsMinistry", { ministryId: user.organizationId });
  const rows = await q.listMinistryLines(ctx.db, actor.organizationId, ctx.now);
  return rows
    .filter((row): row is LineRow & { line_id: number } => row.line_id !== null)
    .map((row) => {
      const own = row.subject_user_id === actor.userId;
      return { ...row, own, decidable: !own };
    });
}

/** The ministry's completion by organization, for its services or one of them. */
export async function reviewCompletion(ctx: Ctx, input: { service: string }) {
  const filter = await ministryServiceFilter(ctx, "review.completion", input.service);
  const rows =
    filter.serviceId === undefined
      ? []
      : await q.listCompletion(ctx.db, filter.actor.organizationId, filter.serviceId);
  return {
    services: filter.services,
    errors: filter.errors,
    query: input,
    rows,
    ministryName: filter.actor.organizationName,
  };
}
