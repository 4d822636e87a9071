-- The matching service's event outbox and inbox (see shared::events).
-- Its domain tables arrive with the matching issue, all prefixed matching_.

CREATE TABLE matching_outbox (
    id              TEXT PRIMARY KEY,
    topic           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    published_at    BIGINT,
    last_error      TEXT
);
CREATE INDEX matching_outbox_due ON matching_outbox (published_at, next_attempt_at);

CREATE TABLE matching_inbox (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
