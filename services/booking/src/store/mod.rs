//! All of booking's SQL. Tables: `booking_*` only.
//!
//! **Lock order.** Every transaction that touches a consultant's calendar and
//! an org's credit balance takes its locks in this order, so two of them can
//! never wait for each other (PostgreSQL would abort one with "deadlock
//! detected"):
//! 1. the consultant's calendar row ([`lock_consultant`]), in ascending
//!    consultant id when there are several;
//! 2. the bookings themselves and the consultant's availability row
//!    (`announced_next_at`, written by `booking::announce_availability`);
//! 3. the org's balance row ([`take_credit`], [`add_credits`]) last, in
//!    ascending org id when there are several.
//!
//! Book, cancel, reschedule, follow-ups, erasure and a consultant's
//! withdrawal follow it. A booking made at once on PostgreSQL
//! ([`write_booking_at_version`]) takes the same locks in one statement:
//! the calendar row, then the org's balance row, then inserts its rows.
//!
//! One wait the order cannot rule out: two requests by the same employee
//! with the same Idempotency-Key for two consultants. A booking inserted
//! under a lock holds its key's unique-index entry before it takes the
//! balance row, while one made at once holds the balance row before it
//! inserts its key; PostgreSQL then aborts one of the two, which is run
//! again and answers with the other's booking. The request paths run through
//! `shared::db::retry_conflicts`, which runs a transaction again should the
//! database abort it all the same; erasure and withdrawal are event
//! handlers, which the dispatcher runs again after any failure.

mod action_items;
mod availability;
mod bookings;
mod calendar;
mod consultants;
mod contacts;
mod credit_ledger;
mod credits;
mod records;
mod support;
mod themes;

pub use crate::domain::booking::BookingRecord;
pub use action_items::*;
pub use availability::*;
pub use bookings::*;
pub use calendar::*;
pub use consultants::{calendar_changed, lock_consultant, save_standing, standing};
pub use contacts::*;
pub use credit_ledger::ledger_of;
pub use credits::*;
pub use records::*;
pub use support::*;
pub use themes::{RecordTheme, replace_taxonomy, themes_of};
