//! Booking's handlers, mirroring the URL tree under `/api/v1`.

pub mod attendance;
pub mod audit;
pub mod availability;
pub mod billing;
pub mod bookings;
pub mod continuity;
pub mod credits;
pub mod deny_list;
pub mod feedback;
pub mod record;
pub mod rooms;
pub mod support;
