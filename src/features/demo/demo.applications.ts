// The demo's financial-aid applications of Québec in D32-PRIMEAU (its registry is DEMO_REGISTRY's): a draft in
// progress and a transmitted application (with its transmission number from the sequence, and the council
// resolution its form requires, stored as uploads are), each with its versions.
import { rm } from "node:fs/promises";
import { Readable } from "node:stream";
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { type FileStore, newStorageKey, receiveToTemp } from "../../storage/file-store.js";
import * as applications from "../applications/applications.queries.js";
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
    // Stored before the transaction commits: if it does not, the clean-up at the next start removes the file.
    const resolution = demo.transmitted.resolution;
    const pdf = demoPdf(resolution.title, resolution.lines);
    const staged = await receiveToTemp(Readable.from([pdf]), store.tempDir, pdf.length);
    const storageKey = newStorageKey();
    try {
      await store.putFile(storageKey, staged.path);
    } finally {
      await rm(staged.path, { force: true });
    }
    await applications.insertAttachment(trx, {
      applicationId: created.id,
      field: resolution.field,
      name: resolution.name,
      sizeBytes: staged.size,
      sha256: staged.sha256,
      storageKey,
      by: requester,
      now,
    });
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
