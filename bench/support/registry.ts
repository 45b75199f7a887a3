// The registry at a given size, generated in SQL, shared by the benchmarks that probe it (authz, decisions): its
// shape, the statements that fill it, and probes picked at random over it.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { type Kysely, sql } from "kysely";
import { prepareDatabase } from "../../src/bootstrap.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import type { DB, OrganizationKind } from "../../src/db/schema.js";
import type { RegistryService, ServiceTarget } from "../../src/features/registry/registry.service.js";
import type { UserActor } from "../../src/policy/actor.js";
import { isDay } from "../../src/util/days.js";
import { progress, round } from "./stats.js";

/**
 * The shape of a registry at a given size. Requester grants go to the organizations' own staff, a few services per
 * person; agent grants rest on associations of firm staff, each agent working for a few client organizations.
 */
export type Shape = {
  label: string;
  /** Municipalities and bodies (one in five is a body). */
  organizations: number;
  usersPerOrganization: number;
  requesterGrants: number;
  firms: number;
  staffPerFirm: number;
  /** Services each firm employee is associated with. */
  servicesPerStaff: number;
  /** Client organizations each association carries an agent right for. */
  clientsPerAssociation: number;
};

export const SMALL: Shape = {
  label: "1k",
  organizations: 8,
  usersPerOrganization: 25,
  requesterGrants: 880,
  firms: 2,
  staffPerFirm: 10,
  servicesPerStaff: 2,
  clientsPerAssociation: 3,
};

export const LARGE: Shape = {
  label: "1M",
  organizations: 4000,
  usersPerOrganization: 45,
  requesterGrants: 880_000,
  firms: 250,
  staffPerFirm: 80,
  servicesPerStaff: 2,
  clientsPerAssociation: 3,
};

export function grantsOf(shape: Shape): number {
  const associations = shape.firms * shape.staffPerFirm * shape.servicesPerStaff;
  return shape.requesterGrants + associations * shape.clientsPerAssociation;
}

/** (user, organization, service) triples picked at random at each size; each is asked once per pass. */
export const PROBES = 2000;

/**
 * The whole registry in SQL, with the spread of a real one: some grants revoked, some past their last day but not
 * yet marked, a quarter with an end date ahead, agent rights resting on associations of which some were
 * dissociated (their rights ended with them); a local manager in each service, deputies in some, an agent manager
 * per service point; a current procuration per organization (one in seven restricted to half the services) held by
 * nine in ten employees, and an expired one.
 */
function registryStatements(shape: Shape, services: number, today: string): string[] {
  if (!isDay(today)) throw new Error(`not a day: ${today}`);
  const int = (value: number): number => {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a count: ${value}`);
    return value;
  };
  const orgs = int(shape.organizations);
  const firms = int(shape.firms);
  const perOrg = int(shape.usersPerOrganization);
  const perFirm = int(shape.staffPerFirm);
  const users = orgs * perOrg;
  const day = `'${today}'::date`;
  const now = `(${day} + time '12:00')::timestamptz`;
  return [
    // Generated rows are consistent by construction: foreign-key triggers stay off while loading (unique indexes,
    // checks and not-null constraints still hold every row). Ten times faster on PGlite.
    "set local session_replication_role = replica",
    `create temp table b_service on commit drop as
      select (row_number() over (order by id) - 1)::int as n, id, ministry_id from online_service`,
    `insert into organization (kind, name, geo_code, neq)
    select case when n % 5 = 4 then 'body' else 'municipality' end,
           case when n % 5 = 4 then 'Organisme ' else 'Municipalité ' end || n,
           case when n % 5 = 4 then null else lpad((10000 + n)::text, 5, '0') end,
           case when n % 5 = 4 then (1000000000 + n)::text end
    from generate_series(0, ${orgs - 1}) n order by n`,
    `insert into organization (kind, name, neq)
    select 'firm', 'Firme ' || n, (1100000000 + n)::text from generate_series(0, ${firms - 1}) n order by n`,
    `-- Every organization numbered: municipalities and bodies first, then firms; size and first user's number.
    create temp table b_org on commit drop as
      select n, id, firm, case when firm then ${perFirm} else ${perOrg} end as size,
             case when firm then ${users} + (n - ${orgs}) * ${perFirm} else n * ${perOrg} end as first_user
      from (select (row_number() over (order by kind = 'firm', id) - 1)::int as n, id, kind = 'firm' as firm
            from organization where kind <> 'ministry') o`,
    `insert into service_point (organization_id, name)
    select o.id, 'Point de service ' || p from b_org o cross join generate_series(0, 1) p where o.firm`,
    `create temp table b_point on commit drop as
      select o.n as org_n, right(sp.name, 1)::int as p, sp.id
      from service_point sp join b_org o on o.id = sp.organization_id`,
    `create temp table b_user (n int, i int, org_n int, org_id bigint, firm boolean, id bigint) on commit drop`,
    `-- user i of an organization: 0 is its services officer, 1 its local manager (agent manager of point 0 in a
    -- firm), 2 a deputy (agent manager of point 1 in a firm). The user code carries the user's number in hex.
    with made as (
      insert into app_user (organization_id, user_code, first_name, last_name, email, is_services_officer)
      select o.id, 'U' || lpad(upper(to_hex(o.first_user + i)), 6, '0'), 'Prénom', 'Nom ' || (o.first_user + i),
             'u' || (o.first_user + i) || '@bench.example', i = 0
      from b_org o cross join lateral generate_series(0, o.size - 1) i
      returning id, organization_id, user_code
    )
    insert into b_user (n, i, org_n, org_id, firm, id)
    select x.n, x.n - o.first_user, o.n, o.id, o.firm, m.id
    from made m join b_org o on o.id = m.organization_id
    cross join lateral (select ('x' || lpad(substr(m.user_code, 2), 8, '0'))::bit(32)::int as n) x`,
    `create index on b_user (org_n, i)`,
    `analyze b_user`,
    `insert into procuration (organization_id, name, start_date, end_date, created_by, created_at, updated_at)
    select o.id, case k when 0 then 'Procuration courante' else 'Procuration échue' end,
           case k when 0 then ${day} - 200 else ${day} - 900 end,
           case k when 0 then ${day} + 165 + o.n % 300 else ${day} - 100 end, u.id, ${now}, ${now}
    from b_org o cross join generate_series(0, 1) k join b_user u on u.org_n = o.n and u.i = 0`,
    `insert into procuration_ministry (procuration_id, ministry_id, restricted)
    select p.id, m.ministry_id, p.name = 'Procuration courante' and o.n % 7 = 3
    from procuration p join b_org o on o.id = p.organization_id
    cross join (select distinct ministry_id from b_service) m`,
    `insert into procuration_service (procuration_id, ministry_id, service_id)
    select pm.procuration_id, pm.ministry_id, s.id
    from procuration_ministry pm join procuration p on p.id = pm.procuration_id
    join b_org o on o.id = p.organization_id
    join b_service s on s.ministry_id = pm.ministry_id and s.n % 2 = o.n % 2
    where pm.restricted`,
    `insert into procuration_holder (procuration_id, user_id, assigned_at, assigned_by)
    select p.id, u.id, ${now} - interval '150 days', p.created_by
    from procuration p join b_user u on u.org_id = p.organization_id
    where case p.name when 'Procuration courante' then u.i % 10 <> 9 else u.i % 4 = 0 end`,
    `insert into service_role (role, organization_id, service_point_id, service_id, user_id, granted_at, ended_at, end_reason)
    select r.role, u.org_id, null, s.id, u.id, ${now} - interval '400 days',
           case when r.ended then ${now} - interval '30 days' end, case when r.ended then 'removed' end
    from (values ('local_manager', 1, 0, false), ('deputy', 2, 0, false), ('deputy', 3, 1, true))
      as r(role, i, s_mod, ended)
    join b_user u on u.i = r.i and not u.firm
    join b_service s on r.role = 'local_manager' or s.n % 3 = r.s_mod`,
    `insert into service_role (role, organization_id, service_point_id, service_id, user_id, granted_at)
    select 'agent_manager', u.org_id, pt.id, s.id, u.id, ${now} - interval '400 days'
    from b_user u join b_point pt on pt.org_n = u.org_n and pt.p = u.i - 1 cross join b_service s
    where u.firm and u.i in (1, 2)`,
    `-- Each firm employee associated with ${int(shape.servicesPerStaff)} services at their service point; one in ten dissociated.
    insert into service_association (service_point_id, service_id, user_id, associated_at, associated_by, ended_at, ended_by, end_reason)
    select pt.id, s.id, u.id, ${now} - interval '300 days', am.id,
           case when (u.n * 7 + slot) % 10 = 0 then ${now} - interval '20 days' end,
           case when (u.n * 7 + slot) % 10 = 0 then am.id end,
           case when (u.n * 7 + slot) % 10 = 0 then 'dissociated' end
    from b_user u cross join generate_series(0, ${int(shape.servicesPerStaff) - 1}) slot
    join b_point pt on pt.org_n = u.org_n and pt.p = u.i % 2
    join b_user am on am.org_n = u.org_n and am.i = 1 + u.i % 2
    join b_service s on s.n = (u.n * 3 + slot * 5) % ${int(services)}
    where u.firm`,
    `-- Requester grants: grant k goes to user k mod U in service (user + k div U) mod S, in the user's organization.
    insert into access_grant (organization_id, service_id, user_id, access_right, granted_at, granted_by,
                              valid_until, ended_at, ended_by, end_reason)
    select u.org_id, s.id, u.id, case when (k * 31) % 3 = 0 then 'requester.read' else 'requester.write' end,
           ${now} - (k % 1000) * interval '1 day', l.id,
           case when h between 7 and 11 then ${day} - 1 - k % 300
                when h between 12 and 36 then ${day} + 1 + k % 700 end,
           case when h < 7 then ${now} - (k % 5) * interval '1 day' end,
           case when h < 7 then l.id end,
           case when h < 7 then 'revoked' end
    from (select k, ((k::bigint * 7919) % 100)::int as h from generate_series(0, ${int(shape.requesterGrants) - 1}) k) g
    join b_user u on u.n = g.k % ${users}
    join b_user l on l.org_n = u.org_n and l.i = 1
    join b_service s on s.n = (g.k % ${users} + g.k / ${users}) % ${int(services)}`,
    `-- Agent grants: each association carries rights for ${int(shape.clientsPerAssociation)} client organizations; a dissociation ended them.
    insert into access_grant (organization_id, service_id, user_id, access_right, association_id, granted_at,
                              granted_by, valid_until, ended_at, ended_by, end_reason)
    select c.org_id, a.service_id, a.user_id, case when slot % 2 = 0 then 'agent.write' else 'agent.read' end, a.id,
           a.associated_at + interval '10 days', c.id,
           case when a.ended_at is null and (a.id + slot) % 9 = 4 then ${day} - 1 - (a.id % 200)::int
                when (a.id + slot) % 4 = 1 then ${day} + 1 + (a.id % 500)::int end,
           a.ended_at, case when a.ended_at is not null then a.ended_by end,
           case when a.ended_at is not null then 'dissociated' end
    from service_association a cross join generate_series(0, ${int(shape.clientsPerAssociation) - 1}) slot
    join b_user c on c.i = 1 and not c.firm and c.org_n = (a.id * 7 + slot * 131) % ${orgs}`,
  ];
}

/** The tables the script fills in bulk. */
const LOADED_TABLES = [
  "app_user",
  "procuration_holder",
  "service_role",
  "service_association",
  "access_grant",
];

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected identifier: ${name}`);
  return `"${name}"`;
}

export type Probe = { actor: UserActor; target: ServiceTarget };

/** A small seeded generator, so two runs probe the same kinds of triples. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export async function maxId(
  db: Kysely<DB>,
  table: "access_grant" | "service_role" | "app_user",
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max("id").as("max"))
    .executeTakeFirstOrThrow();
  return Number(row.max ?? 0);
}

/**
 * Probes spread over the whole registry: seven in ten are the holder of a random grant asking about that
 * organization and service (current, revoked, expired, an agent for a client); fifteen in a hundred a random
 * manager (local, deputy, agent manager, some of them removed); the rest a random person in a random service.
 */
export async function pickProbes(
  db: Kysely<DB>,
  services: RegistryService[],
  seed: number,
): Promise<Probe[]> {
  const random = seeded(seed);
  const pick = async (table: "access_grant" | "service_role" | "app_user", count: number) => {
    const max = await maxId(db, table);
    return Array.from({ length: count }, () => 1 + Math.floor(random() * max));
  };
  const fromGrants = Math.round(PROBES * 0.7);
  const fromRoles = Math.round(PROBES * 0.15);
  const grantIds = await pick("access_grant", fromGrants);
  const roleIds = await pick("service_role", fromRoles);
  const userIds = await pick("app_user", PROBES - fromGrants - fromRoles);
  // A random person asks about their own organization, in a random service (service_id null here).
  const rows = await sql<{
    id: number;
    user_code: string;
    first_name: string;
    last_name: string;
    is_services_officer: boolean;
    own_organization_id: number;
    kind: OrganizationKind;
    name: string;
    organization_id: number;
    service_id: number | null;
  }>`
    with scope as (
      select user_id, organization_id, service_id from access_grant where id = any(${grantIds}::bigint[])
      union all
      select user_id, organization_id, service_id from service_role where id = any(${roleIds}::bigint[])
      union all
      select id, organization_id, null from app_user where id = any(${userIds}::bigint[])
    )
    select u.id, u.user_code, u.first_name, u.last_name, u.is_services_officer, o.id as own_organization_id,
           o.kind, o.name, s.organization_id, s.service_id
    from scope s join app_user u on u.id = s.user_id join organization o on o.id = u.organization_id
  `.execute(db);
  const serviceById = new Map(services.map((service) => [service.id, service]));
  const probes: Probe[] = [];
  // Ids are picked with replacement and found once each: go round the rows until the count is reached.
  for (let n = 0; probes.length < PROBES && n < PROBES * 4; n++) {
    const row = rows.rows[n % rows.rows.length];
    const service =
      row?.service_id == null
        ? services[Math.floor(random() * services.length)]
        : serviceById.get(row.service_id);
    if (!row || !service) continue;
    const actor: UserActor = {
      kind: "user",
      userId: row.id,
      userCode: row.user_code,
      firstName: row.first_name,
      lastName: row.last_name,
      organizationId: row.own_organization_id,
      organizationKind: row.kind,
      organizationName: row.name,
      isServicesOfficer: row.is_services_officer,
      isServiceAdmin: false,
      ministryUnitId: null,
    };
    probes.push({ actor, target: { service, organizationId: row.organization_id } });
  }
  if (probes.length < PROBES) throw new Error(`only ${probes.length} probes found`);
  return probes;
}

/** A registry of one size on one database, ready to be probed. */
export type Registry = {
  shape: Shape;
  database: Database;
  grants: number;
  probes: Probe[];
  grantIds: number[];
  populateMs: number;
  /** This process's CPU time while populating: PGlite's whole work; for PostgreSQL only the client's. */
  populateCpuMs: number;
  drop(): Promise<void>;
};

export async function openRegistry(
  shape: Shape,
  url: string | undefined,
  today: string,
  seed: number,
  bench = "authz",
): Promise<Registry> {
  const schema = url
    ? `bench_${bench}_${shape.label.toLowerCase()}_${randomBytes(4).toString("hex")}`
    : undefined;
  // One connection on PostgreSQL too: the check and the primary-key select share it, as PGlite's single one.
  const database = await openDatabase({ url, schema, poolSize: 1 });
  const drop = async () => {
    if (schema) await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
    await database.close();
  };
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await prepareDatabase(database);
    const services = await database.db
      .selectFrom("online_service")
      .select(["id", "code", "name", "ministry_id"])
      .orderBy("id")
      .execute();
    await database.inTransactionScript(async (runner) => {
      // A bulk load builds secondary indexes once at the end (a sort) rather than row by row: each is dropped,
      // then made again from its own definition. Primary keys and unique constraints stay in place.
      const indexes = await runner.query<{ name: string; definition: string }>(
        `select c.relname as name, pg_get_indexdef(x.indexrelid) as definition
         from pg_index x join pg_class c on c.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
         join pg_namespace n on n.oid = t.relnamespace
         where n.nspname = current_schema() and t.relname = any($1)
           and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid)`,
        [LOADED_TABLES],
      );
      for (const index of indexes) await runner.exec(`drop index ${quoteIdent(index.name)}`);
      for (const statement of [
        ...registryStatements(shape, services.length, today),
        ...indexes.map((index) => index.definition),
      ]) {
        const from = performance.now();
        const cpuFrom = process.cpuUsage();
        await runner.exec(statement);
        const cpuUsed = process.cpuUsage(cpuFrom);
        if (shape === LARGE)
          progress(
            `${bench}: ${round((performance.now() - from) / 1000, 1)} s (CPU ${round((cpuUsed.user + cpuUsed.system) / 1e6, 1)} s) ${statement.slice(0, 60).replace(/\s+/g, " ")}…`,
          );
      }
    });
    await sql`analyze`.execute(database.db);
    const populateMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const populateCpuMs = (used.user + used.system) / 1000;
    const count = await database.db
      .selectFrom("access_grant")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const grants = Number(count.n);
    if (grants !== grantsOf(shape)) throw new Error(`expected ${grantsOf(shape)} grants, made ${grants}`);
    const probes = await pickProbes(database.db, services, seed);
    const random = seeded(seed + 1);
    const top = await maxId(database.db, "access_grant");
    const grantIds = Array.from({ length: PROBES }, () => 1 + Math.floor(random() * top));
    return { shape, database, grants, probes, grantIds, populateMs, populateCpuMs, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
