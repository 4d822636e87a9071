-- Append-only audit of reads of private notes: who, what, when. Rows are
-- only ever inserted (the service has no update or delete for this table);
-- a read is refused when its audit row cannot be written.
CREATE TABLE booking_audit (
    id         TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action     TEXT NOT NULL,
    object_id  TEXT NOT NULL
);
CREATE INDEX booking_audit_at ON booking_audit (at);
