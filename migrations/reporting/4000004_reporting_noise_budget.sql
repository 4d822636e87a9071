-- The differential-privacy budget each org spends on noisy report releases,
-- per calendar year (Japan time). A release moves `spent` up by its ε with a
-- compare-and-swap that refuses to pass the budget.
CREATE TABLE reporting_noise_budget (
    org_id TEXT NOT NULL,
    year   BIGINT NOT NULL,
    spent_millis BIGINT NOT NULL DEFAULT 0,   -- ε × 1000, to keep the arithmetic exact
    PRIMARY KEY (org_id, year)
);
