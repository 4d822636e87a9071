-- Confidentiality at the seams (issue 15).
--
-- Who may book a consultant, from matching.consultant_changed.v1: their
-- approval and the client orgs they are tied to (whose employees must never
-- find or book them). Unknown until matching announces it: not bookable.
ALTER TABLE booking_consultants ADD COLUMN status TEXT;
ALTER TABLE booking_consultants ADD COLUMN affiliated_org_ids TEXT;
-- When matching decided it (epoch ms): an older standing never replaces a newer.
ALTER TABLE booking_consultants ADD COLUMN standing_as_of BIGINT;

-- Every booking now has its own room and join link, derived from its id and
-- never stored; the consultant's one shared room is no longer handed out.
UPDATE booking_bookings SET join_url = NULL;
UPDATE booking_consultants SET meeting_url = NULL;

-- The name and reading HR gave (氏名, フリガナ), kept out of summaries.
ALTER TABLE booking_contacts ADD COLUMN full_name TEXT;
ALTER TABLE booking_contacts ADD COLUMN name_reading TEXT;
