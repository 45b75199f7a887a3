// Reminders 30 and 7 days before an end date (issue #15 § 3), for what has one besides procurations (those keep their
// own, procurations.service.ts): access rights. Each goes to the holder and to whoever can renew it (the registry's
// local manager and deputies), once per threshold and end date, and each person gets one email a day listing all of
// theirs, in their language.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { isUniqueViolation } from "../../errors.js";
import { addDays, daysBetween, formatDay, montrealDay } from "../../util/days.js";
import { serviceTitle } from "../../web/localized.js";
import { type Locale, type Translate, translator } from "../../web/messages.js";
import { recordAudit } from "../audit/audit.service.js";
import { queueMail } from "../mail/mail.service.js";
import * as q from "./reminders.queries.js";

const LAST_THRESHOLD = 30;

type Recipient = { id: number; first_name: string; last_name: string; email: string; locale: Locale };

/** What one person is told: the items they hold (with who can renew each), and those they can renew. */
type Bundle = {
  person: Recipient;
  held: q.GrantToRemind[];
  renewable: q.GrantToRemind[];
  renewersOf: Map<q.GrantToRemind, Recipient[]>;
};

/**
 * Sends the reminders due now, in batches of `batch` items, each batch one transaction: the reminders claimed, each
 * person's email of the day recorded and queued, every reminder audited. Returns the number of emails queued.
 */
export async function sendEndReminders(
  db: Kysely<DB>,
  now: Date,
  publicUrl: string,
  batch = 500,
): Promise<number> {
  let queued = 0;
  for (;;) {
    const sent = await sendBatch(db, now, publicUrl, batch);
    queued += sent.mails;
    // A batch that found fewer items than it could take was the last; one that claimed nothing (another server's
    // run took them meanwhile) stops too, and the next hour looks again.
    if (sent.items < batch || sent.mails === 0) return queued;
  }
}

async function sendBatch(
  db: Kysely<DB>,
  now: Date,
  publicUrl: string,
  batch: number,
): Promise<{ items: number; mails: number }> {
  const day = montrealDay(now);
  try {
    return await db.transaction().execute(async (trx) => {
      const due = await q.findGrantsToRemind(trx, day, addDays(day, LAST_THRESHOLD), batch);
      const claimed = new Set(
        await q.claimReminders(
          trx,
          due.map((grant) => ({
            itemId: grant.id,
            endDate: grant.valid_until,
            daysBefore: q.thresholdOf(daysBetween(day, grant.valid_until)),
          })),
          now,
        ),
      );
      const grants = due.filter((grant) => claimed.has(grant.id));
      const renewers = await q.listRenewers(
        trx,
        uniqueRegistries(grants).map(([organizationId, serviceId]) => ({ organizationId, serviceId })),
      );
      const bundles = bundle(grants, renewers);
      await q.insertDigests(
        trx,
        bundles.map((b) => ({ userId: b.person.id, reminders: b.held.length + b.renewable.length })),
        day,
        now,
      );
      for (const b of bundles) await queueMail(trx, reminderMail(b, day, publicUrl), now);
      for (const grant of grants) {
        const daysLeft = daysBetween(day, grant.valid_until);
        await recordAudit(
          { db: trx, actor: { kind: "anonymous" }, now, ip: null },
          {
            action: "registry.reminder",
            organizationId: grant.organization_id,
            targetType: "access_grant",
            targetId: grant.id,
            details: {
              serviceId: grant.service_id,
              userId: grant.user_id,
              daysBefore: q.thresholdOf(daysLeft),
              daysLeft,
              endDate: grant.valid_until,
              recipients: bundles
                .filter((b) => b.held.includes(grant) || b.renewable.includes(grant))
                .map((b) => b.person.id)
                .sort((a, b) => a - b),
            },
          },
        );
      }
      return { items: due.length, mails: bundles.length };
    });
  } catch (error) {
    // Another server's run mailed one of these people today between this run's read and its write: nothing of this
    // batch was written; its reminders go out with tomorrow's email.
    if (isUniqueViolation(error)) return { items: 0, mails: 0 };
    throw error;
  }
}

function uniqueRegistries(grants: readonly q.GrantToRemind[]): [number, number][] {
  const keys = new Set(grants.map((g) => `${g.organization_id}:${g.service_id}`));
  return [...keys].map((key) => {
    const [organizationId, serviceId] = key.split(":").map(Number);
    return [organizationId ?? 0, serviceId ?? 0];
  });
}

/** One bundle per person: a right they hold is listed as theirs, even when they could also renew it. */
function bundle(
  grants: readonly q.GrantToRemind[],
  renewers: Awaited<ReturnType<typeof q.listRenewers>>,
): Bundle[] {
  const bundles = new Map<number, Bundle>();
  const renewersOf = new Map<q.GrantToRemind, Recipient[]>();
  const of = (person: Recipient) => {
    let found = bundles.get(person.id);
    if (!found) {
      found = { person, held: [], renewable: [], renewersOf };
      bundles.set(person.id, found);
    }
    return found;
  };
  for (const grant of grants) {
    of({ ...grant, id: grant.user_id }).held.push(grant);
    const others = renewers.filter(
      (renewer) =>
        renewer.organization_id === grant.organization_id &&
        renewer.service_id === grant.service_id &&
        renewer.id !== grant.user_id,
    );
    renewersOf.set(grant, others);
    for (const renewer of others) {
      const b = of(renewer);
      if (!b.renewable.includes(grant)) b.renewable.push(grant);
    }
  }
  return [...bundles.values()];
}

function reminderMail(b: Bundle, day: string, publicUrl: string) {
  const { person } = b;
  const t = translator(person.locale);
  const line = (grant: q.GrantToRemind) => ({
    right: t(`registry.right.${grant.access_right}`),
    service: serviceTitle(person.locale, {
      code: grant.service_code,
      name: grant.service_name,
      name_en: grant.service_name_en,
    }),
    organization: grant.organization_name,
    when: whenText(t, person.locale, day, grant.valid_until),
  });
  const sections: string[] = [];
  if (b.held.length > 0)
    sections.push(
      t("mail.reminders.held", {
        lines: b.held.map((grant) => heldLine(t, line(grant), b.renewersOf.get(grant) ?? [])).join("\n"),
      }),
    );
  if (b.renewable.length > 0)
    sections.push(
      t("mail.reminders.renew", {
        lines: b.renewable
          .map((grant) =>
            t("mail.reminders.renewLine", {
              ...line(grant),
              holder: `${grant.first_name} ${grant.last_name} (${grant.user_code})`,
              link: `${publicUrl}/services/${encodeURIComponent(grant.service_code)}/organisations/${grant.organization_id}/registre`,
            }),
          )
          .join("\n"),
      }),
    );
  return {
    to: person.email,
    subject: t("mail.reminders.subject", { count: b.held.length + b.renewable.length }),
    text: t("mail.reminders.body", {
      name: `${person.first_name} ${person.last_name}`,
      sections: sections.join("\n\n"),
    }),
  };
}

/** A right the person holds, and under it who can extend it (none named when the registry has no manager). */
function heldLine(t: Translate, params: Record<string, string>, renewers: readonly Recipient[]): string {
  const text = t("mail.reminders.heldLine", params);
  if (renewers.length === 0) return text;
  const names = renewers.map((r) => `${r.first_name} ${r.last_name} (${r.email})`).join(", ");
  return `${text}\n  ${t("mail.reminders.renewers", { names })}`;
}

function whenText(t: Translate, locale: Locale, day: string, end: string): string {
  const days = daysBetween(day, end);
  return days === 0
    ? t("mail.reminders.whenToday", { end: formatDay(end, locale) })
    : t("mail.reminders.when", { end: formatDay(end, locale), days });
}
