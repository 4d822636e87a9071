-- How to reach the people in bookings (from identity's events), for
-- confirmation, change and cancellation emails.

CREATE TABLE booking_contacts (
    user_id      TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    display_name TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);
