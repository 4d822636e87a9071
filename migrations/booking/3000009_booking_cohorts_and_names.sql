-- What booking needs to hand off a consented session safely: the org and
-- cohort attributes of each person (from identity's events; the cohort goes
-- out only with cohort consent), and each consultant's own deny list of names
-- to keep out of organisational summaries (the org's list is the names of its
-- people, which booking already holds).
ALTER TABLE booking_contacts ADD COLUMN org_id TEXT;
ALTER TABLE booking_contacts ADD COLUMN cohort TEXT;
CREATE INDEX booking_contacts_org ON booking_contacts (org_id);

CREATE TABLE booking_name_deny_list (
    consultant_id TEXT NOT NULL,
    term          TEXT NOT NULL,
    PRIMARY KEY (consultant_id, term)
);
