-- The sign-in throttle's digests are keyed from now on (HMAC under a key
-- derived from the master key). The table holds only throttle state: the
-- unkeyed rows written before are deleted, so none is left that a copy of
-- the database could be searched with. Failure counts start again at zero,
-- and addresses count as known again after their owner's next sign-in.
DELETE FROM identity_login_failures;
-- Every record is deleted after at most 30 days (store::forget_login_records_before).
CREATE INDEX identity_login_failures_at ON identity_login_failures (failed_at);
