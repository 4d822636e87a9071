-- Cohort attributes HR gives with an invitation (department, age band), as a
-- small JSON object. They reach reporting only through booking's hand-off, and
-- only for sessions whose employee consented to cohort reporting.
ALTER TABLE identity_invitations ADD COLUMN cohort TEXT;
ALTER TABLE identity_users ADD COLUMN cohort TEXT;
