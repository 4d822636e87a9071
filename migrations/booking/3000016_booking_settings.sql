-- Settings booking has counted in and must keep: the time zone its credit
-- weeks and report periods were counted in (pinned on the first start).
CREATE TABLE booking_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- A database that already holds bookings or credits counted them in Japan
-- time (the zone was fixed before this setting existed): pin that, so an
-- upgrade start with another TAIWA_TIME_ZONE is refused, not accepted.
INSERT INTO booking_settings (name, value)
SELECT 'time_zone', 'Asia/Tokyo'
WHERE EXISTS (SELECT 1 FROM booking_bookings)
   OR EXISTS (SELECT 1 FROM booking_credit_ledger);
