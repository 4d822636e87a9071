-- Most bookings are never moved and most are made without an
-- Idempotency-Key: index only those that are, so making a booking writes two
-- index entries fewer. The lookups (`rescheduled_to = $1`, and
-- `idempotency_key = $2`) imply the indexes' conditions on both engines.
DROP INDEX booking_bookings_rescheduled_to;
CREATE INDEX booking_bookings_rescheduled_to ON booking_bookings (rescheduled_to)
    WHERE rescheduled_to IS NOT NULL;
DROP INDEX booking_bookings_idempotency;
CREATE UNIQUE INDEX booking_bookings_idempotency ON booking_bookings (employee_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
