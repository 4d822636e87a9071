-- The booking service's event outbox and inbox (see shared::events).
-- Its domain tables arrive with the booking issue, all prefixed booking_.

CREATE TABLE booking_outbox (
    id              TEXT PRIMARY KEY,
    topic           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    published_at    BIGINT,
    last_error      TEXT
);
CREATE INDEX booking_outbox_due ON booking_outbox (published_at, next_attempt_at);

CREATE TABLE booking_inbox (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at BIGINT NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
