-- Booking: availability, bookings, and org session credits.
-- Portable SQL (README, "Storage seam"): TEXT ids/JSON, BIGINT instants (epoch ms UTC).

CREATE TABLE booking_consultants (
    consultant_id TEXT PRIMARY KEY,      -- also the per-consultant lock row (SELECT … FOR UPDATE on PostgreSQL)
    meeting_url   TEXT,                  -- join link, from matching's consultant events
    updated_at    BIGINT NOT NULL
);

CREATE TABLE booking_availability (
    consultant_id      TEXT PRIMARY KEY,
    timezone           TEXT NOT NULL,    -- IANA zone
    weekly             TEXT NOT NULL,    -- JSON [{weekday, start, end}]
    session_minutes    TEXT NOT NULL,    -- JSON [45, 60]
    buffer_before      BIGINT NOT NULL,
    buffer_after       BIGINT NOT NULL,
    min_notice_minutes BIGINT NOT NULL,
    horizon_days       BIGINT NOT NULL,
    max_per_day        BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE booking_overrides (
    consultant_id TEXT NOT NULL,
    local_date    TEXT NOT NULL,         -- YYYY-MM-DD in the consultant's zone
    intervals     TEXT NOT NULL,         -- JSON [{start, end}]; [] = unavailable all day
    PRIMARY KEY (consultant_id, local_date)
);

CREATE TABLE booking_bookings (
    id              TEXT PRIMARY KEY,
    consultant_id   TEXT NOT NULL,
    employee_id     TEXT NOT NULL,
    org_id          TEXT NOT NULL,
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('confirmed', 'completed', 'no_show', 'cancelled', 'rescheduled')),
    nickname        TEXT,                -- shown to the consultant instead of the name, if set
    agenda          TEXT,                -- JSON {topic, help}; the consultant's eyes only
    join_url        TEXT,
    idempotency_key TEXT,
    rescheduled_to  TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX booking_bookings_consultant ON booking_bookings (consultant_id, starts_at);
CREATE INDEX booking_bookings_employee ON booking_bookings (employee_id, starts_at);
CREATE UNIQUE INDEX booking_bookings_idempotency ON booking_bookings (employee_id, idempotency_key);

CREATE TABLE booking_credit_balances (
    org_id  TEXT PRIMARY KEY,
    balance BIGINT NOT NULL CHECK (balance >= 0)
);

CREATE TABLE booking_credit_ledger (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    delta      BIGINT NOT NULL,
    reason     TEXT NOT NULL,            -- grant | purchase | booking | refund
    reference  TEXT,                     -- booking id or payment id
    created_at BIGINT NOT NULL
);
CREATE INDEX booking_credit_ledger_org ON booking_credit_ledger (org_id, created_at);
