-- Reminder emails 24 h and 1 h before each confirmed session: a durable job
-- table, so a restart misses none and sends none twice. Jobs are written in
-- the booking's transaction, removed on cancellation and replaced on a move.

CREATE TABLE booking_reminders (
    id          TEXT PRIMARY KEY,
    booking_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('24h', '1h')),
    due_at      BIGINT NOT NULL,
    claimed_at  BIGINT,                  -- a worker took it (stale claims are retried)
    sent_at     BIGINT,
    UNIQUE (booking_id, kind)
);
CREATE INDEX booking_reminders_due ON booking_reminders (sent_at, due_at);
