//! The booking domain: availability and the one slot function, and the
//! booking state machine.

pub mod availability;
pub mod booking;
pub mod credits;
pub mod support;
