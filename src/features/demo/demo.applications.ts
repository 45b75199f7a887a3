// The demo's financial-aid applications of Québec in D32-PRIMEAU (its registry is DEMO_REGISTRY's): a draft in
// progress and a transmitted application (with its transmission number from the sequence, and the council
// resolution its form requires, stored as uploads are), each with its versions.
import { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import type { FileStore } from "../../storage/file-store.js";
import * as applications from "../applications/applications.queries.js";
import { attachmentChecks } from "../applications/attachments.js";
import { storeCheckedUpload } from "../file-transfers/checked-upload.js";
import { DEMO_APPLICATIONS } from "./demo.data.js";
import { demoPdf } from "./demo-pdf.js";

export async function seedDemoApplications(
  trx: Kysely<DB>,
  ids: { organizationId: number; idOf: (code: string) => number },
  now: Date,
  store: FileStore,
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
    // Stored and checked as an upload is; stored before the transaction commits: if it does not, the clean-up at
    // the next start removes the file.
    const resolution = demo.transmitted.resolution;
    const pdf = demoPdf(resolution.title, resolution.lines);
    const stored = await storeCheckedUpload(
      store,
      { filename: resolution.name, stream: Readable.from([pdf]) },
      attachmentChecks(pdf.length, "fr"),
      (file) =>
        applications.insertAttachment(trx, {
          applicationId: created.id,
          field: resolution.field,
          ...file,
          by: requester,
          now,
        }),
    );
    if (!stored.ok) throw new Error(`the demo's resolution was refused: ${stored.refusal.key}`);
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
