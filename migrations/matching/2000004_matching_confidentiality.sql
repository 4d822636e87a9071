-- Confidentiality at the seams (issue 15).
--
-- Booking and identity learn each consultant's standing (approval, orgs they
-- are tied to) from matching.consultant_changed.v1. Consultants written
-- before the event carried it are announced once at start.
ALTER TABLE matching_consultants ADD COLUMN standing_announced_at BIGINT;

-- A rating counts towards the consultant's standing only once released, in
-- groups from several distinct people. Ratings kept so far count as before.
ALTER TABLE matching_ratings ADD COLUMN released_at BIGINT;
UPDATE matching_ratings SET released_at = created_at;
