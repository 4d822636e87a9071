-- Usage: one row per session held or missed, from booking's
-- `booking.session_closed.v1` (every session, whatever was shared): org,
-- month, outcome and a pseudonym keyed per org and quarter under a key of its
-- own (it cannot be joined with the theme records). No themes, ids or times.
CREATE TABLE reporting_usage (
    id          TEXT PRIMARY KEY,          -- the event's id (idempotent intake)
    org_id      TEXT NOT NULL,
    period      TEXT NOT NULL,             -- YYYY-MM
    pseudonym   TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('held', 'no_show')),
    received_at BIGINT NOT NULL
);
CREATE INDEX reporting_usage_org_period ON reporting_usage (org_id, period);
