-- An employee's feedback on a held session, and what they allowed to be shared.

CREATE TABLE booking_feedback (
    booking_id     TEXT PRIMARY KEY,
    rating         BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    share_with_org BIGINT NOT NULL,        -- 1: the de-identified hand-off to reporting may happen
    cohort_consent BIGINT NOT NULL,        -- 1: the org's coarse cohort attributes may go with it
    created_at     BIGINT NOT NULL
);
