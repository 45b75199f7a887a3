// SQL for user accounts.
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";

const USER_COLUMNS = [
  "app_user.id",
  "app_user.organization_id",
  "app_user.user_code",
  "app_user.civility",
  "app_user.first_name",
  "app_user.last_name",
  "app_user.job_title",
  "app_user.phone",
  "app_user.phone_extension",
  "app_user.email",
  "app_user.is_services_officer",
  "app_user.is_service_admin",
  "app_user.locale",
  "app_user.disabled_at",
  "app_user.created_at",
  "app_user.updated_at",
] as const;

/** Only the organization's own users: the list is filtered in SQL. */
export async function listUsersOfOrganization(db: Kysely<DB>, organizationId: number) {
  return db
    .selectFrom("app_user")
    .select([
      ...USER_COLUMNS,
      (eb) => eb("app_user.password_hash", "is not", null).$castTo<boolean>().as("activated"),
    ])
    .where("organization_id", "=", organizationId)
    .orderBy("last_name")
    .orderBy("first_name")
    .orderBy("user_code")
    .execute();
}

export async function findUserByCode(db: Kysely<DB>, userCode: string) {
  return db
    .selectFrom("app_user")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .select([
      ...USER_COLUMNS,
      (eb) => eb("app_user.password_hash", "is not", null).$castTo<boolean>().as("activated"),
      "organization.name as organization_name",
    ])
    .where("app_user.user_code", "=", userCode)
    .executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom("app_user")
    .innerJoin("organization", "organization.id", "app_user.organization_id")
    .select([...USER_COLUMNS, "organization.name as organization_name"])
    .where("app_user.id", "=", userId)
    .executeTakeFirst();
}

export type NewUserRow = {
  organizationId: number;
  userCode: string;
  civility: "M." | "Mme" | null;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  phone: string | null;
  phoneExtension: string | null;
  email: string;
  isServicesOfficer?: boolean;
  ministryUnitId?: number | null;
  isServiceAdmin?: boolean;
  passwordHash?: string | null;
  now: Date;
};

/** Returns the new id, or null when the code is already taken (the caller draws another). */
export async function insertUser(db: Kysely<DB>, user: NewUserRow): Promise<number | null> {
  const row = await db
    .insertInto("app_user")
    .values({
      organization_id: user.organizationId,
      user_code: user.userCode,
      civility: user.civility,
      first_name: user.firstName,
      last_name: user.lastName,
      job_title: user.jobTitle,
      phone: user.phone,
      phone_extension: user.phoneExtension,
      email: user.email,
      is_services_officer: user.isServicesOfficer ?? false,
      ministry_unit_id: user.ministryUnitId ?? null,
      is_service_admin: user.isServiceAdmin ?? false,
      password_hash: user.passwordHash ?? null,
      created_at: user.now,
      updated_at: user.now,
    })
    .onConflict((oc) => oc.column("user_code").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export type ProfileRow = {
  civility: "M." | "Mme" | null;
  firstName: string;
  lastName: string;
  jobTitle: string | null;
  phone: string | null;
  phoneExtension: string | null;
  email: string;
};

export async function updateUserProfile(db: Kysely<DB>, userId: number, profile: ProfileRow, now: Date) {
  await db
    .updateTable("app_user")
    .set({
      civility: profile.civility,
      first_name: profile.firstName,
      last_name: profile.lastName,
      job_title: profile.jobTitle,
      phone: profile.phone,
      phone_extension: profile.phoneExtension,
      email: profile.email,
      updated_at: now,
    })
    .where("id", "=", userId)
    .execute();
}

/** Returns false when the account already was in that state. */
export async function setUserDisabled(db: Kysely<DB>, userId: number, disabled: boolean, now: Date) {
  const result = await db
    .updateTable("app_user")
    .set({ disabled_at: disabled ? now : null, updated_at: now })
    .where("id", "=", userId)
    .where("disabled_at", disabled ? "is" : "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findOrganizationName(db: Kysely<DB>, organizationId: number): Promise<string | null> {
  const row = await db
    .selectFrom("organization")
    .select("name")
    .where("id", "=", organizationId)
    .executeTakeFirst();
  return row?.name ?? null;
}
