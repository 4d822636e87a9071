-- Booking: credit packs bought through Stripe Checkout.
-- A purchase is opened before Stripe is called (so a paid session always has
-- a row to settle), and settled once, whichever webhook event arrives first.
CREATE TABLE booking_purchases (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    pack TEXT NOT NULL,
    credits BIGINT NOT NULL CHECK (credits > 0),
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('opening', 'open', 'paid', 'failed', 'expired')),
    stripe_session_id TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    settled_at BIGINT
);
CREATE INDEX booking_purchases_org ON booking_purchases (org_id, created_at);

-- Every Stripe event applied, by Stripe's event id: a replayed delivery is a no-op.
CREATE TABLE booking_stripe_events (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
