-- One-time codes that let an operator without a second factor set one up,
-- issued by another operator (who signed in with one) or by
-- `taiwa operator enrolment-code` on the server. Only the code's SHA-256
-- digest is kept; a code works once and for 24 hours.
CREATE TABLE identity_enrolment_codes (
    user_id     TEXT PRIMARY KEY,
    code_digest TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    issued_by   TEXT
);
