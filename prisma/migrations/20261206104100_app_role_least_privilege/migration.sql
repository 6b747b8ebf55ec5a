-- Hand-written: Prisma's schema language cannot express roles or grants. The web app, workers and
-- ingest log in as `switchboard_app` (or a login that is a member of it), never as the owner of the
-- tables: the owner alone may ALTER TABLE ... DISABLE TRIGGER, and only a superuser may set
-- session_replication_role, so the app's credentials cannot switch the audit trail's triggers off.
-- Migrations keep running as the owner. scripts/migrate.ts sets the login's password from
-- DATABASE_URL; see docs/runbook.md, "Audit trail".

-- CreateRole (cluster-wide, so another database on the server may have created it already)
DO $$
BEGIN
    CREATE ROLE "switchboard_app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END;
$$;

-- Grant: ordinary DML on every table, no DDL, no TRUNCATE, no ownership.
DO $$
BEGIN
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO "switchboard_app"', current_database());
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO "switchboard_app"', current_schema());
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO "switchboard_app"', current_schema());
    -- nextval and currval only: setval needs UPDATE.
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO "switchboard_app"', current_schema());
    -- Tables and sequences later migrations create (as this same owner) are granted the same way.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "switchboard_app"', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO "switchboard_app"', current_schema());
END;
$$;

-- The audit chain: append and read, nothing else.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "audit_events" FROM "switchboard_app";

-- Migration history is the migrator's business.
REVOKE ALL ON "_prisma_migrations" FROM "switchboard_app";
