// What the home page reads: « Mes services en ligne », the lists of applications and « Gestion des mandats », in two
// statements whatever the person's roles (issue #16): their services, application spaces, managed services and
// procurations in one, then the facts that decide every link in another. Kept in the read cache per person and day
// (a write empties it; a right past its last day leaves the page at midnight).
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Ctx } from "../../context.js";
import { montrealDay } from "../../util/days.js";
import * as applications from "../applications/applications.queries.js";
import { applicationsHomeOf } from "../applications/applications.service.js";
import { requireUser } from "../auth/auth.service.js";
import { transferServiceLinks } from "../file-transfers/file-transfers.service.js";
import * as procurations from "../procurations/procurations.queries.js";
import { grantsOfScope } from "../procurations/procurations.service.js";
import { servicesWithRole } from "../service-roles/service-roles.queries.js";
import { myServicesOf } from "../services/services.service.js";

export async function readHome(ctx: Ctx) {
  const actor = requireUser(ctx.actor);
  const today = montrealDay(ctx.now);
  return ctx.app.readCache.get(`home:${actor.userId}:${today}`, async () => {
    const { db } = ctx;
    const rows = await db
      .selectNoFrom([
        jsonArrayFrom(servicesWithRole(db, actor.userId, today)).as("services"),
        jsonArrayFrom(applications.applicationSpacesOf(db, actor.userId, today)).as("spaces"),
        jsonArrayFrom(applications.managedServices(db, actor.userId, actor.organizationId)).as("managed"),
        jsonArrayFrom(
          procurations.scopeOf(
            db,
            procurations.validProcurationIdsOfUser(db, actor.userId, actor.organizationId, today),
          ),
        ).as("scope"),
      ])
      .executeTakeFirstOrThrow();
    const links = await transferServiceLinks(ctx, grantsOfScope(rows.scope));
    return {
      myServices: await myServicesOf(ctx, rows.services, links),
      ...(await applicationsHomeOf(ctx, rows.spaces, rows.managed)),
    };
  });
}
