// The first ministry administrator, created from the command line on an empty production database.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { ANONYMOUS } from "../../policy/actor.js";
import { recordAudit } from "../audit/audit.service.js";
import { ensureCatalogue } from "../catalogue/catalogue.service.js";
import { insertUserWithNewCode, sendActivationLink } from "./accounts.service.js";
import { validateProfile } from "./accounts.validation.js";

export type FirstAdministratorInput = {
  firstName: string;
  lastName: string;
  email: string;
  unitCode: string;
};
export type FirstAdministratorResult =
  | { ok: true; userCode: string; link: string }
  | { ok: false; message: string };

export async function createFirstAdministrator(
  db: Kysely<DB>,
  publicUrl: string,
  now: Date,
  input: FirstAdministratorInput,
): Promise<FirstAdministratorResult> {
  const validation = validateProfile({
    civility: "",
    firstName: input.firstName,
    lastName: input.lastName,
    jobTitle: "",
    phone: "",
    phoneExtension: "",
    email: input.email,
  });
  if (!validation.ok) {
    return { ok: false, message: "Indiquez --prenom, --nom et une adresse --courriel valide." };
  }
  const profile = validation.profile;
  return db.transaction().execute(async (trx) => {
    const catalogue = await ensureCatalogue(trx);
    const unitId = catalogue.unitIds.get(input.unitCode.toUpperCase());
    if (unitId === undefined) {
      return {
        ok: false,
        message: `Unité inconnue : ${input.unitCode}. Unités : ${[...catalogue.unitIds.keys()].join(", ")}`,
      };
    }
    const user = await insertUserWithNewCode(trx, {
      ...profile,
      organizationId: catalogue.ministryId,
      isServicesOfficer: true,
      isServiceAdmin: true,
      ministryUnitId: unitId,
      now,
    });
    const link = await sendActivationLink(
      trx,
      { publicUrl, now },
      {
        userId: user.id,
        userCode: user.userCode,
        name: `${profile.firstName} ${profile.lastName}`,
        email: profile.email,
        organization: catalogue.ministryName,
      },
    );
    const ctx = { db: trx, actor: ANONYMOUS, now, ip: null };
    await recordAudit(ctx, {
      action: "account.createFirstAdministrator",
      organizationId: catalogue.ministryId,
      targetType: "user",
      targetId: user.id,
    });
    return { ok: true, userCode: user.userCode, link };
  });
}
