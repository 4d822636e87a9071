-- Which role an invitation gives: HR invites employees; an operator creating
-- a client org invites its first HR person.
ALTER TABLE identity_invitations ADD COLUMN role TEXT NOT NULL DEFAULT 'employee';
