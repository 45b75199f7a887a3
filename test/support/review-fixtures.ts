// The organization an access review is about, for the review's tests: a municipality whose services officer is local
// manager of the service, a deputy (with a procuration, so that they may act) and people holding a right there.
import { insertRole } from "../../src/features/service-roles/service-roles.queries.js";
import type { TestApp } from "./app.js";
import { grant, makeLocalManager, type Service, userWithProcuration } from "./application-fixtures.js";
import type { MadeOrganization, MadeUser } from "./factories.js";

export type ReviewWorld = { org: MadeOrganization; manager: MadeUser; deputy: MadeUser; holders: MadeUser[] };

/** The organization, its local manager (its RSE), its deputy Denise, and one holder of « Requérant – Rédaction » per name. */
export async function reviewWorld(
  t: TestApp,
  service: Service,
  holderNames: readonly string[],
): Promise<ReviewWorld> {
  const org = await t.factories.organization();
  const manager = await makeLocalManager(t, org, service);
  const deputy = await userWithProcuration(t, org, service, { firstName: "Denise" });
  await insertRole(t.database.db, {
    role: "deputy",
    organizationId: org.id,
    servicePointId: null,
    serviceId: service.id,
    userId: deputy.id,
    grantedBy: manager.id,
    accessRequestId: null,
    now: t.clock(),
  });
  const holders: MadeUser[] = [];
  for (const firstName of holderNames) {
    const holder = await userWithProcuration(t, org, service, { firstName });
    await grant(t, manager, { service, organizationId: org.id }, holder, "requester.write");
    holders.push(holder);
  }
  return { org, manager, deputy, holders };
}
