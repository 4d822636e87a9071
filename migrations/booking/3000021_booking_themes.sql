-- Booking's copy of the theme taxonomy (reporting owns it and publishes it
-- whole on `reporting.taxonomy_changed.v1` after each change an operator
-- makes): which codes a session record may carry. It starts as the
-- taxonomy reporting seeds (version 1); an event older than the version
-- held is ignored.
CREATE TABLE booking_themes (
    code      TEXT PRIMARY KEY,
    sensitive BIGINT NOT NULL,
    retired   BIGINT NOT NULL
);
INSERT INTO booking_themes (code, sensitive, retired) VALUES
    ('career_direction', 0, 0), ('skills', 0, 0), ('workload', 0, 0),
    ('manager_relationship', 0, 0), ('team_relationships', 0, 0), ('evaluation', 0, 0),
    ('pay', 0, 0), ('transfer', 0, 0), ('life_events', 0, 0), ('job_change', 0, 0),
    ('second_career', 0, 0), ('health', 1, 0), ('harassment', 1, 0);

CREATE TABLE booking_taxonomy (
    id      BIGINT PRIMARY KEY,   -- always 1
    version BIGINT NOT NULL
);
INSERT INTO booking_taxonomy (id, version) VALUES (1, 1);
