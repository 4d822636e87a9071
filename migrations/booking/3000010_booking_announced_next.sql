-- The next free time last announced to matching (`booking.availability_changed.v1`),
-- so a booking that cannot change it skips recomputing the 30-day summary.
ALTER TABLE booking_availability ADD COLUMN announced_next_at BIGINT;
