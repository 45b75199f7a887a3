// Who is acting: nobody, or a signed-in user with the facts every rule needs.
import type { OrganizationKind } from "../db/schema.js";

export type UserActor = {
  kind: "user";
  userId: number;
  userCode: string;
  firstName: string;
  lastName: string;
  organizationId: number;
  organizationKind: OrganizationKind;
  organizationName: string;
  isServicesOfficer: boolean;
  isServiceAdmin: boolean;
  ministryUnitId: number | null;
};

export type Anonymous = { kind: "anonymous" };

export type Actor = UserActor | Anonymous;

export const ANONYMOUS: Anonymous = { kind: "anonymous" };
