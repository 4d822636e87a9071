//! Booking's use cases: what a request, a job or the bench asks of a
//! booking, each one transaction in the store's lock order (the consultant's
//! calendar, the booking, the availability row, the org's balance last),
//! run again by `retry_conflicts` when the database aborts it for a
//! deadlock. Routes parse the request and call one of these; each decides
//! access through `crate::policy` before it changes anything.

mod attendance;
mod book;
mod cancel;
mod feedback;
mod follow_ups;
mod hours;
mod next_free;
mod record;
mod reschedule;
mod support;
mod view;

pub use attendance::mark_no_show;
pub use book::{BookingRequest, book};
pub use cancel::cancel;
pub use feedback::{Rating, rate};
pub use follow_ups::{Cadence, FollowUp, book_follow_ups};
pub use hours::{FreeSlots, SlotWindow, free_slots, set_override, set_weekly};
pub use next_free::{announce_availability, announce_passed, may_change_next, next_available};
pub use record::{SessionRecord, read_record, write_record};
pub use reschedule::reschedule;
pub use support::{
    SupportOffer, ask_for_support, offered as support_offered, set_support_contact,
    support_contact, support_offer,
};
pub use view::{BookingView, view};

use chrono::{DateTime, Duration, Utc};
use shared::auth::Caller;
use shared::contracts::Outcome;
use shared::error::ApiError;
use shared::time;

use crate::BookingState;
use crate::domain::booking::{BookingId, BookingStatus};
use crate::policy::{Action, authorize, bound_by_cutoff};
use crate::store::{self, BookingRecord};

/// The booking `id` if `caller` takes part in it: HR and operators 403,
/// anyone else's booking 404, exactly as one that does not exist.
pub(crate) async fn load_for(
    caller: &Caller,
    id: BookingId,
    conn: &mut sqlx::AnyConnection,
) -> Result<BookingRecord, ApiError> {
    // HR and operators reach no booking at all (403), before any lookup.
    authorize(caller, Action::ListOwn)?;
    let booking = store::find_booking(conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    authorize(caller, Action::Touch(&booking))?;
    Ok(booking)
}

/// Employees change a booking only until the cutoff (default 24 hours
/// before); consultants any time.
fn check_cutoff(
    state: &BookingState,
    caller: &Caller,
    booking: &BookingRecord,
) -> Result<(), ApiError> {
    let cutoff = cutoff(state);
    if bound_by_cutoff(caller) && booking.starts_at - time::now() < cutoff {
        return Err(ApiError::conflict(
            "cutoff_passed",
            format!(
                "changes are possible until {} hours before the session",
                cutoff.num_hours()
            ),
        ));
    }
    Ok(())
}

/// How long before a session employees stop changing it.
fn cutoff(state: &BookingState) -> Duration {
    Duration::from_std(state.settings.cancellation_cutoff).unwrap_or_else(|_| Duration::hours(24))
}

/// Until when `caller` may cancel or move `booking` (the same rule as
/// [`check_cutoff`]): an employee until the cutoff before the start, the
/// consultant until the start; `None` once it is not confirmed.
pub fn changeable_until(
    state: &BookingState,
    caller: &Caller,
    booking: &BookingRecord,
) -> Option<DateTime<Utc>> {
    if booking.status != BookingStatus::Confirmed {
        return None;
    }
    Some(if bound_by_cutoff(caller) {
        booking.starts_at - cutoff(state)
    } else {
        booking.starts_at
    })
}

/// After the employee's rating or the consultant's record, whichever comes
/// first: closes the session (with its usage record) if still open, and
/// hands the record off to reporting if that is now due.
async fn close_held_session(
    tx: &mut sqlx::AnyConnection,
    state: &BookingState,
    booking: &BookingRecord,
    at: i64,
) -> Result<(), ApiError> {
    if store::transition(
        &mut *tx,
        booking.id,
        BookingStatus::Confirmed,
        BookingStatus::Completed,
        None,
        at,
    )
    .await?
    {
        crate::handoff::session_closed(&mut *tx, &state.master, booking, Outcome::Held).await?;
    }
    crate::handoff::maybe_hand_off(tx, &state.master, booking).await?;
    Ok(())
}

/// The answer to a request for a time someone else has just taken.
fn slot_taken() -> ApiError {
    ApiError::conflict(
        "slot_taken",
        "this time was just booked; choose another slot",
    )
}
