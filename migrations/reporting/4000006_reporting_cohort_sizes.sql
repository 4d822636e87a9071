-- How many employees each cohort group of an org has (from identity's
-- `identity.cohort_sizes.v1`): a group is reported only when it has at least
-- 50 eligible employees, whatever its usage.
CREATE TABLE reporting_cohort_sizes (
    org_id     TEXT NOT NULL,
    dimension  TEXT NOT NULL,
    group_name TEXT NOT NULL,
    eligible   BIGINT NOT NULL,
    as_of      BIGINT NOT NULL,
    PRIMARY KEY (org_id, dimension, group_name)
);
