-- The taxonomy becomes the operators' to curate: themes can be added
-- (never sensitive), renamed and retired (and reinstated). Every label a
-- theme has had is kept with the moment it took effect, so a report shows
-- each theme as it was named when its last quarter was released; a retired
-- theme stays in the records and reports that have it, and is no longer
-- offered for new records. The taxonomy's version counts the changes; the
-- event that carries the taxonomy to booking says which version it is.
ALTER TABLE reporting_themes ADD COLUMN retired_at BIGINT;

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
