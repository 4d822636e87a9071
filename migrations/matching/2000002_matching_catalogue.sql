-- Matching: the consultant catalogue, assessment results, employees'
-- preferences and shortlists, and session ratings used to learn compatibility.
-- Portable SQL (see README, "Storage seam"): TEXT ids and JSON, BIGINT instants
-- (epoch ms, UTC) and flags.

CREATE TABLE matching_consultants (
    id                  TEXT PRIMARY KEY,        -- the consultant's account id
    display_name        TEXT NOT NULL,
    headline            TEXT NOT NULL,
    message             TEXT NOT NULL,
    qualification       TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    specialties         TEXT NOT NULL,           -- JSON array of codes
    industries          TEXT NOT NULL,           -- JSON array
    languages           TEXT NOT NULL,           -- JSON array of codes
    years_experience    BIGINT NOT NULL,
    region              TEXT NOT NULL,
    gender              TEXT,
    age_band            TEXT,
    session_formats     TEXT NOT NULL,           -- JSON array of codes
    meeting_url         TEXT,
    affiliated_org_ids  TEXT NOT NULL,           -- JSON array of org ids
    status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    accepting_clients   BIGINT NOT NULL,
    next_available_at   BIGINT,                  -- from booking's availability summaries
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE matching_assessments (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    answers            TEXT NOT NULL,            -- JSON [[item id, value], ...]
    vector             TEXT NOT NULL,            -- JSON array, DIMENSIONS order, each in [-1, 1]
    created_at         BIGINT NOT NULL
);
CREATE INDEX matching_assessments_user ON matching_assessments (user_id, created_at);

CREATE TABLE matching_preferences (
    user_id    TEXT PRIMARY KEY,                 -- an employee
    topics     TEXT NOT NULL,                    -- JSON array of specialty codes
    languages  TEXT NOT NULL,                    -- JSON array of language codes for sessions
    excluded_ids TEXT NOT NULL,                  -- JSON array of consultant ids
    weights    TEXT,                             -- JSON {values, specialty, availability, rating}
    updated_at BIGINT NOT NULL
);

CREATE TABLE matching_shortlists (
    user_id    TEXT PRIMARY KEY,                 -- an employee
    ranked     TEXT NOT NULL,                    -- JSON array of consultant ids, best first
    created_at BIGINT NOT NULL
);

CREATE TABLE matching_ratings (
    id            TEXT PRIMARY KEY,              -- the rating event's id (idempotent intake)
    consultant_id TEXT NOT NULL,
    employee_id   TEXT NOT NULL,
    rating        BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    created_at    BIGINT NOT NULL
);
CREATE INDEX matching_ratings_consultant ON matching_ratings (consultant_id);
