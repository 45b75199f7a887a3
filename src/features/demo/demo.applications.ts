// The demo's financial-aid applications: Québec's local manager and writing requester in D34-PIQM, a draft in
// progress and a transmitted application (with its transmission number from the sequence), each with its versions.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import * as applications from "../applications/applications.queries.js";
import { insertGrant } from "../registry/registry.queries.js";
import { insertRole } from "../service-roles/service-roles.queries.js";
import { DEMO_APPLICATIONS } from "./demo.data.js";

export async function seedDemoApplications(
  trx: Kysely<DB>,
  ids: { organizationId: number; idOf: (code: string) => number },
  now: Date,
): Promise<void> {
  const demo = DEMO_APPLICATIONS;
  const service = await applications.findService(trx, { code: demo.serviceCode });
  const form = await applications.findCurrentForm(trx, service.id);
  if (!form) throw new Error(`no form for ${demo.serviceCode}`);
  const manager = ids.idOf(demo.localManager);
  const requester = ids.idOf(demo.requester);
  await insertRole(trx, {
    role: "local_manager",
    organizationId: ids.organizationId,
    servicePointId: null,
    serviceId: service.id,
    userId: manager,
    grantedBy: null,
    accessRequestId: null,
    now,
  });
  await insertGrant(trx, {
    organizationId: ids.organizationId,
    serviceId: service.id,
    userId: requester,
    right: "requester.write",
    associationId: null,
    grantedBy: manager,
    validUntil: null,
    now,
  });
  for (const application of [demo.draft, demo.transmitted]) {
    const created = await applications.insertApplication(trx, {
      organizationId: ids.organizationId,
      serviceId: service.id,
      formId: form.id,
      title: application.title,
      data: application.data,
      by: requester,
      now,
      previousId: null,
    });
    const version = {
      applicationId: created.id,
      title: application.title,
      data: application.data,
      by: requester,
      now,
    };
    await applications.insertVersion(trx, { ...version, revision: created.revision, status: "draft" });
    if (application !== demo.transmitted) continue;
    const sent = await applications.transmit(trx, {
      id: created.id,
      revision: created.revision,
      by: requester,
      now,
    });
    if (!sent) throw new Error("the demo application was not transmitted");
    await applications.insertVersion(trx, { ...version, revision: sent.revision, status: "transmitted" });
  }
}
