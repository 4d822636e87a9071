-- Second factor (TOTP, RFC 6238). The secret is sealed (AES-256-GCM) under a
-- key derived from the master key; it is pending until a first code confirms
-- it (totp_enabled_at). totp_last_step is the newest step used, so a code
-- works once. A login remembers whether it was made with a second factor.
ALTER TABLE identity_users ADD COLUMN totp_secret TEXT;
ALTER TABLE identity_users ADD COLUMN totp_enabled_at BIGINT;
ALTER TABLE identity_users ADD COLUMN totp_last_step BIGINT;
ALTER TABLE identity_refresh_tokens ADD COLUMN second_factor BIGINT NOT NULL DEFAULT 0;
