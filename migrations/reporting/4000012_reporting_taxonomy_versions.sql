-- The taxonomy becomes the operators' to curate: themes can be added
-- (never sensitive), renamed and retired (and reinstated). Every label a
-- theme has had is kept with the moment it took effect, so a report shows
-- each theme as it was named when its last quarter was released; a retired
-- theme stays in the records and reports that have it, and is no longer
-- offered for new records. The taxonomy's version counts the changes; the
-- event that carries the taxonomy to booking says which version it is.
ALTER TABLE reporting_themes ADD COLUMN retired_at BIGINT;
ALTER TABLE reporting_themes ADD COLUMN position BIGINT NOT NULL DEFAULT 0;

UPDATE reporting_themes SET position = CASE code
    WHEN 'career_direction' THEN 1 WHEN 'skills' THEN 2 WHEN 'workload' THEN 3
    WHEN 'manager_relationship' THEN 4 WHEN 'team_relationships' THEN 5
    WHEN 'evaluation' THEN 6 WHEN 'pay' THEN 7 WHEN 'transfer' THEN 8
    WHEN 'life_events' THEN 9 WHEN 'job_change' THEN 10 WHEN 'second_career' THEN 11
    WHEN 'health' THEN 12 WHEN 'harassment' THEN 13 ELSE 100 END;

CREATE TABLE reporting_theme_labels (
    code       TEXT NOT NULL,
    version    BIGINT NOT NULL,          -- 1, 2, … per theme
    label_ja   TEXT NOT NULL,
    label_en   TEXT NOT NULL,
    valid_from BIGINT NOT NULL,          -- epoch ms; 0 for the labels the taxonomy started with
    PRIMARY KEY (code, version)
);
INSERT INTO reporting_theme_labels (code, version, label_ja, label_en, valid_from)
SELECT code, 1, label_ja, label_en, 0 FROM reporting_themes;

CREATE TABLE reporting_taxonomy (
    id      BIGINT PRIMARY KEY,          -- always 1
    version BIGINT NOT NULL
);
INSERT INTO reporting_taxonomy (id, version) VALUES (1, 1);
