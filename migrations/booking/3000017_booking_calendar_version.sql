-- A consultant's calendar version: moved on by every change to what decides
-- whether a time can be booked (a booking, a move, a cancellation, an
-- availability or standing change). On PostgreSQL a booking is validated
-- against the version it read and written in one statement only if the
-- version is still the same (`store::write_booking_at_version`).
ALTER TABLE booking_consultants ADD COLUMN calendar_version BIGINT NOT NULL DEFAULT 0;
