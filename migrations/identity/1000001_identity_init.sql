-- Identity (owned by the gateway): organisations, people, invitations, refresh
-- tokens, login throttling, and the service's event outbox and inbox.
-- Portable SQL for SQLite and PostgreSQL: ids are TEXT UUIDs, instants are
-- BIGINT milliseconds since the Unix epoch (UTC), flags are BIGINT 0/1.

CREATE TABLE identity_orgs (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE identity_users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT REFERENCES identity_orgs (id),
    email         TEXT NOT NULL UNIQUE,          -- stored lower-cased
    password_hash TEXT,                          -- argon2id PHC string; NULL = cannot log in
    role          TEXT NOT NULL CHECK (role IN ('employee', 'consultant', 'hr', 'operator')),
    display_name  TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    disabled_at   BIGINT
);
CREATE INDEX identity_users_org ON identity_users (org_id);

CREATE TABLE identity_invitations (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES identity_orgs (id),
    email       TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,            -- SHA-256 of the single-use token
    invited_by  TEXT NOT NULL REFERENCES identity_users (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    accepted_at BIGINT,
    revoked_at  BIGINT
);
CREATE INDEX identity_invitations_org_email ON identity_invitations (org_id, email);

CREATE TABLE identity_refresh_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
    family_id  TEXT NOT NULL,                    -- one login; reuse of a used token revokes it all
    token_hash TEXT NOT NULL UNIQUE,             -- SHA-256 of the opaque token
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    revoked_at BIGINT
);
CREATE INDEX identity_refresh_tokens_family ON identity_refresh_tokens (family_id);

CREATE TABLE identity_login_failures (
    account_key TEXT NOT NULL,                   -- SHA-256 of the lower-cased email
    failed_at   BIGINT NOT NULL
);
CREATE INDEX identity_login_failures_key ON identity_login_failures (account_key, failed_at);

CREATE TABLE identity_outbox (
    id              TEXT PRIMARY KEY,            -- UUIDv7: ordered by time
    topic           TEXT NOT NULL,
    payload         TEXT NOT NULL,               -- JSON
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    published_at    BIGINT,
    last_error      TEXT
);
CREATE INDEX identity_outbox_due ON identity_outbox (published_at, next_attempt_at);

CREATE TABLE identity_inbox (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
