-- Hand-written: Prisma's schema language cannot express triggers, so `prisma migrate diff` never
-- produces or removes these. The audit chain is append-only: rows may be inserted, never changed.
-- Statement-level, so even an UPDATE or DELETE that matches no row is refused. The table's owner
-- can still ALTER TABLE ... DISABLE TRIGGER: the app should not connect as the owner in production.

-- CreateFunction
CREATE FUNCTION "audit_events_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'P0001',
              HINT = 'Record a correcting event instead of changing or removing an existing one.';
END;
$$;

-- CreateTrigger
CREATE TRIGGER "audit_events_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();

-- CreateTrigger
CREATE TRIGGER "audit_events_no_truncate"
    BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_refuse_change"();
