-- A moved session's invites keep the UID of the booking its series started
-- with: the notifier walks `rescheduled_to` backwards, one lookup per move.
CREATE INDEX booking_bookings_rescheduled_to ON booking_bookings (rescheduled_to);
