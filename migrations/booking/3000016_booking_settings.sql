-- Settings booking has counted in and must keep: the time zone its credit
-- weeks and report periods were counted in (pinned on the first start).
CREATE TABLE booking_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
