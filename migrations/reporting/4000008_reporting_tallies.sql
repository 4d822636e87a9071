-- What the theme report reads, kept up to date at intake (see
-- services/reporting/src/tally.rs): one row per person and quarter (their
-- latest groups and the themes they raised), and the number of distinct
-- people per quarter × cohort combination × theme (theme '' = everyone in
-- the combination). Still no ids, no times: the pseudonym is the one of
-- reporting_records.
CREATE TABLE reporting_people (
    org_id       TEXT NOT NULL,
    quarter      TEXT NOT NULL,           -- YYYY-Qn
    pseudonym    TEXT NOT NULL,
    latest_month TEXT NOT NULL,           -- YYYY-MM of their latest record ('' before it is counted)
    cohort       TEXT NOT NULL,           -- canonical JSON of that record's consented attributes
    themes       TEXT NOT NULL,           -- JSON array of codes raised in the quarter
    PRIMARY KEY (org_id, quarter, pseudonym)
);

CREATE TABLE reporting_tallies (
    org_id  TEXT NOT NULL,
    quarter TEXT NOT NULL,                -- YYYY-Qn
    cohort  TEXT NOT NULL,                -- canonical JSON, as in reporting_people
    theme   TEXT NOT NULL,                -- theme code, or '' for the people of the combination
    people  BIGINT NOT NULL,
    PRIMARY KEY (org_id, quarter, cohort, theme)
);
