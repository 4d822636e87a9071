-- A booking's reminders are known by the booking and their kind (24h, 1h),
-- which was already unique: the surrogate id and its index go, so making a
-- booking writes two index entries fewer. The table is rebuilt (SQLite cannot
-- change a primary key in place); unsent and sent jobs are kept as they are.
CREATE TABLE booking_reminders_by_booking (
    booking_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('24h', '1h')),
    due_at      BIGINT NOT NULL,
    claimed_at  BIGINT,                  -- a worker took it (stale claims are retried)
    sent_at     BIGINT,
    PRIMARY KEY (booking_id, kind)
);
INSERT INTO booking_reminders_by_booking (booking_id, kind, due_at, claimed_at, sent_at)
    SELECT booking_id, kind, due_at, claimed_at, sent_at FROM booking_reminders;
DROP TABLE booking_reminders;
ALTER TABLE booking_reminders_by_booking RENAME TO booking_reminders;
CREATE INDEX booking_reminders_due ON booking_reminders (sent_at, due_at);
