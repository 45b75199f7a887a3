-- The audit log's rows are written by every decision the API answers (issue #14: each allowed act on a dossier and
-- each denial), so what a row costs to write is paid at that rate. Two things in it did not earn their cost:
-- - the foreign keys on actor_user_id and organization_id: each row ran PostgreSQL's referential check, a
--   SELECT … FOR KEY SHARE of the organization's row (and the actor's), which on a server also marks that row locked
--   by every writing transaction at once. Nothing is ever deleted from app_user or organization, and the record of an
--   act must never be what makes the act fail: the columns added in 0020 have no foreign keys for that reason;
-- - the index on « at » alone: every reading of the log goes through an organization, an actor or a subject (0020's
--   indexes, which end with at and id).
-- Measured on the embedded engine, rows of ten: about a third less work per row without the two checks.
alter table audit_event drop constraint if exists audit_event_actor_user_id_fkey;
alter table audit_event drop constraint if exists audit_event_organization_id_fkey;
drop index if exists audit_event_at;
