-- Append-only audit of report exports: who, what, when (never the figures).
CREATE TABLE reporting_audit (
    id         TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action     TEXT NOT NULL,
    object_id  TEXT NOT NULL
);
CREATE INDEX reporting_audit_at ON reporting_audit (at);
