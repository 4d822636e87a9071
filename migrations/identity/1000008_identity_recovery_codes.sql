-- One-time recovery codes for two-step sign-in: a set of ten is shown once
-- when the second factor is confirmed (or renewed); each works once in place
-- of the authenticator's code. Only a digest salted with the account's id is
-- kept; a used code's row is deleted.
CREATE TABLE identity_recovery_codes (
    user_id     TEXT NOT NULL,
    code_digest TEXT NOT NULL,
    PRIMARY KEY (user_id, code_digest)
);
