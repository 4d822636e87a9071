-- Settings reporting has counted in and must keep: the time zone its
-- quarters were counted and released in (pinned on the first start).
CREATE TABLE reporting_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- A database that already holds records, releases or spent noise counted
-- them in Japan time (the zone was fixed before this setting existed): pin
-- that, so an upgrade start with another TAIWA_TIME_ZONE is refused.
INSERT INTO reporting_settings (name, value)
SELECT 'time_zone', 'Asia/Tokyo'
WHERE EXISTS (SELECT 1 FROM reporting_records)
   OR EXISTS (SELECT 1 FROM reporting_usage)
   OR EXISTS (SELECT 1 FROM reporting_releases)
   OR EXISTS (SELECT 1 FROM reporting_noise_budget);
