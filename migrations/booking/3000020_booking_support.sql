-- The crisis path. Where an org's employees can turn for more support than
-- career consultation (its occupational physician or EAP), as HR sets it;
-- and which sessions' employees asked, after their consultant flagged the
-- session for the crisis path, to be put in touch with it — with the
-- contact's name and address exactly as the employee saw them when they
-- agreed (a later change of the contact does not redirect a request). Only
-- the employee reads their request; HR reads neither who asked nor how many.
CREATE TABLE booking_support_contacts (
    org_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    url TEXT,
    hours TEXT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE booking_support_requests (
    booking_id TEXT PRIMARY KEY,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
