-- Settings reporting has counted in and must keep: the time zone its
-- quarters were counted and released in (pinned on the first start).
CREATE TABLE reporting_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
