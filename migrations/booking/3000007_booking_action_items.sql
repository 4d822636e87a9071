-- Action items agreed in a session: they belong to the employee (who sees,
-- ticks and exports them); the consultant sees them at the next session.

CREATE TABLE booking_action_items (
    id          TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    booking_id  TEXT NOT NULL,           -- the session they were agreed in
    text        TEXT NOT NULL,
    done_at     BIGINT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX booking_action_items_employee ON booking_action_items (employee_id, created_at);
