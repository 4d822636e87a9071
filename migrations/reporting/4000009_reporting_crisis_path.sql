-- The consented crisis-path flag of a record (see booking_records.crisis_path);
-- counted for operators only, under the same anonymity rules.
ALTER TABLE reporting_records ADD COLUMN crisis_path BIGINT NOT NULL DEFAULT 0;
