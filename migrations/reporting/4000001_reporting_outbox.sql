-- The reporting service's event outbox and inbox (see shared::events).
-- Its domain tables arrive with the reporting issue, all prefixed reporting_.

CREATE TABLE reporting_outbox (
    id              TEXT PRIMARY KEY,
    topic           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    published_at    BIGINT,
    last_error      TEXT
);
CREATE INDEX reporting_outbox_due ON reporting_outbox (published_at, next_attempt_at);

CREATE TABLE reporting_inbox (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
