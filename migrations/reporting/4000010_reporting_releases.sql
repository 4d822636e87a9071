-- A released quarter never changes (issue 15). Its report — every view's
-- cells and the usage figures — is computed once, at the first read after
-- its release, and kept: every later answer about it is read from here.
CREATE TABLE reporting_releases (
    org_id    TEXT NOT NULL,
    quarter   TEXT NOT NULL,               -- YYYY-Qn
    report    TEXT NOT NULL,               -- JSON, see services/reporting/src/releases.rs
    frozen_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, quarter)
);

-- Every cohort-size snapshot identity published, so a quarter is released
-- with the sizes as they stood at its release, whenever it is first read.
CREATE TABLE reporting_cohort_size_history (
    org_id TEXT NOT NULL,
    as_of  BIGINT NOT NULL,
    sizes  TEXT NOT NULL,                  -- JSON {dimension: {group: eligible}}
    PRIMARY KEY (org_id, as_of)
);
