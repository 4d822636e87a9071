//! A booking made at once (PostgreSQL): the calendar with the consultant's
//! busy times, and any earlier booking with the same key, are read without a lock,
//! the request is checked against them, and the booking is written with its
//! credit, ledger row, notice and reminders in one statement that holds only
//! if the calendar's version is still the one read (`store::calendar`).
//! Two round trips (three with an Idempotency-Key) instead of a dozen in a
//! transaction, and no lock held between them. When the calendar moved meanwhile nothing is written and
//! the caller tries again from the start.

use chrono::Duration;
use shared::db::is_unique_violation;
use shared::error::ApiError;
use shared::time;

use super::{
    BookingRequest, Made, check_bookable, earlier_with_key, employee_of, new_booking, no_credits,
    overlaps,
};
use crate::booking::{may_change_next, slot_taken};
use crate::notify::{self, Kind};
use crate::policy::{Action, authorize};
use crate::store::{self, AtVersion, BookingRecord};
use crate::{BookingState, OUTBOX, reminders};

/// How many times a booking is tried at once before it waits for the
/// calendar's lock instead (a consultant whose calendar keeps changing).
pub(super) const ATTEMPTS: usize = 3;

/// How a try at once ended.
pub(super) enum AtOnce {
    /// With a booking (made now, or by an earlier request with the key).
    Answered((BookingRecord, Made)),
    /// The calendar changed between the read and the write: try again.
    CalendarMoved,
    /// This booking needs the transaction under the calendar's lock: the
    /// consultant has no calendar row or availability yet (the locked path
    /// creates the row and gives the refusal), or the booking may change
    /// the next free time announced to matching.
    NeedsLock,
}

/// One try of the booking at once; a refusal is final.
pub(super) async fn book_at_once(
    state: &BookingState,
    request: &BookingRequest,
) -> Result<AtOnce, ApiError> {
    let now = time::now();
    let (start, end) = (request.starts_at, request.ends_at());
    let mut conn = state.db.pool().acquire().await?;
    if let Some(earlier) = earlier_with_key(&mut conn, request).await? {
        return Ok(AtOnce::Answered((earlier, Made::Earlier)));
    }
    let Some(calendar) = store::snapshot(
        &mut conn,
        request.consultant_id,
        start - Duration::days(2),
        end + Duration::days(2),
    )
    .await?
    else {
        return Ok(AtOnce::NeedsLock);
    };
    authorize(
        &employee_of(request),
        Action::UseCalendarOf {
            consultant: request.consultant_id,
            standing: calendar.standing.as_ref(),
        },
    )?;
    let busy = &calendar.busy;
    if overlaps(request, busy) {
        // The winner may be this request's own first attempt.
        return match earlier_with_key(&mut conn, request).await? {
            Some(earlier) => Ok(AtOnce::Answered((earlier, Made::Earlier))),
            None => Err(slot_taken()),
        };
    }
    check_bookable(&calendar.availability, request, busy, now)?;
    if may_change_next(&calendar.availability, calendar.announced, start, end) {
        return Ok(AtOnce::NeedsLock);
    }
    let booking = new_booking(request);
    let notice = notify::entry(booking.id, Kind::Confirmed)?;
    let written = store::write_booking_at_version(
        &mut conn,
        &booking,
        calendar.version,
        &notice,
        OUTBOX.table(),
        &reminders::due(&booking, now),
        time::to_db(now),
    )
    .await;
    match written {
        Ok(AtVersion::Written) => Ok(AtOnce::Answered((booking, Made::Now))),
        Ok(AtVersion::Moved) => Ok(AtOnce::CalendarMoved),
        Ok(AtVersion::NoCredit) => Err(no_credits()),
        Err(err) if is_unique_violation(&err) => {
            // The same Idempotency-Key raced us for another consultant's
            // calendar: answer with its booking, or refuse a different one.
            match earlier_with_key(&mut conn, request).await? {
                Some(earlier) => Ok(AtOnce::Answered((earlier, Made::Earlier))),
                None => Err(err.into()),
            }
        }
        Err(err) => Err(err.into()),
    }
}
