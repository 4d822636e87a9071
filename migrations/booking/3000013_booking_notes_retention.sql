-- When a record's private notes were erased by the retention policy
-- (TAIWA_NOTES_RETENTION_DAYS); the themes and the summary stay.
ALTER TABLE booking_records ADD COLUMN notes_erased_at BIGINT;
