// The demo's financial-aid applications of Québec in D32-PRIMEAU (its registry is DEMO_REGISTRY's): a draft in
// progress and a transmitted application (with its transmission number from the sequence), each with its versions.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import * as applications from "../applications/applications.queries.js";
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
  // The requester's right comes from the registry's demo, seeded before (DEMO_REGISTRY).
  const requester = ids.idOf(demo.requester);
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
