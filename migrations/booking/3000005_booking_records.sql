-- Consultants' session records, and the per-employee keys of their private
-- notes (wrapped by the master key; deleting a row shreds that person's notes).

CREATE TABLE booking_data_keys (
    employee_id TEXT PRIMARY KEY,
    wrapped_key TEXT NOT NULL,           -- base64(nonce ‖ AES-256-GCM(master, data key))
    created_at  BIGINT NOT NULL
);

CREATE TABLE booking_records (
    booking_id     TEXT PRIMARY KEY,
    consultant_id  TEXT NOT NULL,
    private_notes  TEXT NOT NULL,        -- base64(nonce ‖ AES-256-GCM(data key, notes)); the consultant's alone
    themes         TEXT NOT NULL,        -- JSON array of theme codes
    org_summary    TEXT NOT NULL,        -- for the organisational report (scrubbed again before hand-off)
    handed_off_at  BIGINT,               -- when the de-identified record went to reporting
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
