-- "You said, we did": HR's published responses to released themes, shown to
-- the org's employees.
CREATE TABLE reporting_responses (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    theme      TEXT NOT NULL,
    period     TEXT NOT NULL,      -- the quarter the theme was released for, YYYY-Qn
    message    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX reporting_responses_org ON reporting_responses (org_id, created_at);
