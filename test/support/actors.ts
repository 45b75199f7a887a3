// Actors for the policy's truth tables: a signed-in user of an organization, with only the facts a rule reads.
import type { UserActor } from "../../src/policy/actor.js";

export function testUser(id: number, organizationId: number, extra: Partial<UserActor> = {}): UserActor {
  return {
    kind: "user",
    userId: id,
    userCode: `USER${String(id).padStart(3, "0")}`,
    firstName: "Prénom",
    lastName: "Nom",
    organizationId,
    organizationKind: "municipality",
    organizationName: `Org ${organizationId}`,
    isServicesOfficer: false,
    isServiceAdmin: false,
    ministryUnitId: null,
    ...extra,
  };
}
