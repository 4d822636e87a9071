-- Confidentiality at the seams (issue 15).
--
-- A suspended consultant signs in only to a notice, and their earlier tokens
-- stop working at once. Matching decides approval; identity learns it from
-- matching.consultant_changed.v1.
ALTER TABLE identity_users ADD COLUMN suspended_at BIGINT;
-- When matching decided the consultant's standing (epoch ms): an older
-- decision, redelivered late, never undoes a newer one.
ALTER TABLE identity_users ADD COLUMN standing_as_of BIGINT;

-- An invitation link's token is kept sealed (AES-256-GCM under a key derived
-- from the master key) only until its email is sent, then removed: at rest
-- only its digest remains, and the event that asks for the email carries the
-- invitation's id, never the link.
ALTER TABLE identity_invitations ADD COLUMN token_sealed TEXT;

-- The name and its reading as HR gave them (氏名, フリガナ), so that booking can
-- keep them out of organisational summaries. Never shown to consultants.
ALTER TABLE identity_invitations ADD COLUMN full_name TEXT;
ALTER TABLE identity_invitations ADD COLUMN name_reading TEXT;
ALTER TABLE identity_users ADD COLUMN full_name TEXT;
ALTER TABLE identity_users ADD COLUMN name_reading TEXT;

-- Invitation events of version 1 carried the whole link. Their emails have
-- been sent (or are abandoned: HR can invite again); drop them. Version 2
-- carries only the invitation's id; the gateway also purges v1 from NATS.
DELETE FROM identity_outbox WHERE topic = 'identity.invitation_created.v1';
