-- The consented crisis path: the consultant marks a record whose sensitive
-- theme (health, harassment) the employee agreed to take further through
-- the crisis path; the flag travels in the de-identified hand-off.
ALTER TABLE booking_records ADD COLUMN crisis_path BIGINT NOT NULL DEFAULT 0;
