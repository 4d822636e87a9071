//! Entry points for `cargo fuzz` (`fuzz/` at the root): the parsers of a
//! consultant's untrusted availability, with the invariants a fuzzer should
//! never break. Unit tests run every seed of `fuzz/seeds/` through them.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use crate::domain::availability::Busy;
use crate::routes::availability::{AvailabilityBody, OverrideBody};

/// One fuzz case: an availability as `PUT …/availability` takes it, the
/// overrides `POST …/overrides` takes, and sessions already booked.
#[derive(Deserialize)]
struct AvailabilityCase {
    availability: AvailabilityBody,
    #[serde(default)]
    overrides: Vec<OverrideBody>,
    /// `(start, length)` in minutes after the fixed "now".
    #[serde(default)]
    booked: Vec<(i32, u16)>,
}

/// A fixed "now" so a crash reproduces: 2026-03-01T00:00:00Z, four weeks
/// before Europe's DST change.
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_772_323_200, 0).unwrap_or_default()
}

/// Parses `data` as an availability case; when it is valid, lists 35 days of
/// slots of every offered length and checks that they are well formed,
/// respect notice, horizon, buffers and bookings, and are bookable.
pub fn availability(data: &[u8]) {
    let Ok(case) = serde_json::from_slice::<AvailabilityCase>(data) else {
        return;
    };
    let Ok(mut availability) = case.availability.parse() else {
        return;
    };
    for o in case.overrides.iter().take(20) {
        if let Ok((date, intervals)) = o.parse() {
            availability.overrides.insert(date, intervals);
        }
    }
    let now = now();
    let booked: Vec<Busy> = case
        .booked
        .iter()
        .take(50)
        .map(|&(start, length)| {
            let start = now + Duration::minutes(i64::from(start));
            Busy {
                start,
                end: start + Duration::minutes(i64::from(length.max(1))),
            }
        })
        .collect();
    let (from, to) = (now, now + Duration::days(35));
    for &minutes in &availability.session_minutes.clone() {
        let slots = availability.slots(from, to, minutes, &booked, now);
        let notice = now + Duration::minutes(i64::from(availability.min_notice_minutes));
        let horizon = now + Duration::days(i64::from(availability.horizon_days));
        for pair in slots.windows(2) {
            assert!(pair[0].start < pair[1].start, "slots sorted and distinct");
        }
        for slot in &slots {
            assert_eq!(slot.end - slot.start, Duration::minutes(i64::from(minutes)));
            assert!(
                slot.start >= notice && slot.start >= from,
                "slot before notice"
            );
            assert!(slot.start < horizon && slot.start < to, "slot past horizon");
            let (b_start, b_end) = availability.blocked(slot.start, slot.end);
            for b in &booked {
                let (s, e) = availability.blocked(b.start, b.end);
                assert!(b_end <= s || b_start >= e, "slot overlaps a booking");
            }
        }
        for slot in slots.iter().take(8) {
            assert!(
                availability.is_bookable(slot.start, minutes, &booked, now),
                "a listed slot must be bookable"
            );
        }
    }
}

#[cfg(test)]
mod tests;
