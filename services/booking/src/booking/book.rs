//! Booking a session. On PostgreSQL a booking is first tried at once
//! (`at_once`: validated against a read of the calendar, written in one
//! statement that holds only if the calendar is unchanged); on SQLite, and
//! when that path cannot settle it, in a transaction holding the
//! consultant's calendar lock.

mod at_once;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};

use self::at_once::AtOnce;
use shared::auth::{Caller, Role};
use shared::db::{Backend, is_unique_violation, retry_conflicts};
use shared::error::ApiError;
use shared::ids::{OrgId, UserId};
use shared::time;

use super::slot_taken;
use super::{announce_availability, may_change_next};
use crate::BookingState;
use crate::domain::availability::{Availability, Busy};
use crate::domain::booking::{Agenda, BookingId, BookingStatus};
use crate::notify::{self, Kind};
use crate::policy::{Action, authorize};
use crate::reminders;
use crate::store::{self, BookingRecord};

/// A session an employee asks for, parsed.
#[derive(Clone, Debug)]
pub struct BookingRequest {
    /// Who books.
    pub employee: UserId,
    /// Their org, whose credit it takes.
    pub org_id: OrgId,
    /// With whom.
    pub consultant_id: UserId,
    /// A listed slot's start.
    pub starts_at: DateTime<Utc>,
    /// A length the consultant offers.
    pub duration_minutes: u32,
    /// The agenda card (checked).
    pub agenda: Option<Agenda>,
    /// The name shown to the consultant instead of theirs (checked).
    pub nickname: Option<String>,
    /// The client's `Idempotency-Key`, if it sent one.
    pub idempotency_key: Option<String>,
}

impl BookingRequest {
    fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + Duration::minutes(i64::from(self.duration_minutes))
    }

    /// Whether `earlier` is what this request asks for: the same consultant,
    /// time and length, and the same agenda and nickname.
    fn same_as(&self, earlier: &BookingRecord) -> bool {
        earlier.consultant_id == self.consultant_id
            && earlier.starts_at == self.starts_at
            && earlier.ends_at == self.ends_at()
            && earlier.agenda == self.agenda
            && earlier.nickname == self.nickname
    }
}

/// Books a session: the slot check, the credit and the insert in one
/// transaction holding the consultant's calendar lock, so a slot is never
/// booked twice. A request carrying the `Idempotency-Key` of an earlier one
/// gets that booking, however the two raced, and is refused (422
/// `idempotency_key_reused`) if it asks for something else.
#[tracing::instrument(name = "booking.book", skip_all)]
pub async fn book(
    state: &BookingState,
    request: &BookingRequest,
) -> Result<BookingRecord, ApiError> {
    time::within_bounds(request.starts_at, "starts_at")?;
    let (booking, made) = retry_conflicts(|| book_once(state, request)).await?;
    if made == Made::Now {
        state.wakeup.wake();
        shared::telemetry::business::booking(shared::telemetry::business::BookingOutcome::Made);
        tracing::info!(booking_id = %booking.id, "booking confirmed");
    }
    Ok(booking)
}

/// Whether this request made the booking it answers with, or an earlier
/// request with the same key did (a retry: nothing new to log or deliver).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Made {
    Now,
    Earlier,
}

/// The booking an earlier request with the same key made, if any: returned
/// when this request asks for the same thing (a retry), refused when it asks
/// for something else (as the IETF Idempotency-Key draft and Stripe do), so
/// a client never gets a booking it did not ask for.
async fn earlier_with_key(
    conn: &mut sqlx::AnyConnection,
    request: &BookingRequest,
) -> Result<Option<BookingRecord>, ApiError> {
    let Some(key) = request.idempotency_key.as_deref() else {
        return Ok(None);
    };
    let Some(earlier) = store::find_by_idempotency_key(conn, request.employee, key).await? else {
        return Ok(None);
    };
    if !request.same_as(&earlier) {
        return Err(ApiError::unprocessable(
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different booking; send a new key for a new request",
        ));
    }
    Ok(Some(earlier))
}

async fn book_once(
    state: &BookingState,
    request: &BookingRequest,
) -> Result<(BookingRecord, Made), ApiError> {
    if state.db.backend() == Backend::Postgres {
        for _ in 0..at_once::ATTEMPTS {
            match at_once::book_at_once(state, request).await? {
                AtOnce::Answered(answer) => return Ok(answer),
                AtOnce::CalendarMoved => continue,
                AtOnce::NeedsLock => break,
            }
        }
    }
    book_under_lock(state, request).await
}

/// The caller as the employee the request books for.
fn employee_of(request: &BookingRequest) -> Caller {
    Caller {
        user_id: request.employee,
        role: Role::Employee,
        org_id: Some(request.org_id),
    }
}

/// Refuses a time the consultant's availability does not offer, or one the
/// `busy` sessions take.
fn check_bookable(
    availability: &Availability,
    request: &BookingRequest,
    busy: &[Busy],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let (start, minutes) = (request.starts_at, request.duration_minutes);
    if availability.is_bookable(start, minutes, busy, now) {
        return Ok(());
    }
    Err(if availability.is_bookable(start, minutes, &[], now) {
        slot_taken()
    } else {
        ApiError::unprocessable(
            "not_bookable",
            "this time is outside the consultant's availability, notice or horizon",
        )
    })
}

/// Whether a confirmed session in `busy` overlaps the requested time.
fn overlaps(request: &BookingRequest, busy: &[Busy]) -> bool {
    let (start, end) = (request.starts_at, request.ends_at());
    busy.iter().any(|b| b.start < end && start < b.end)
}

/// The booking a request makes, before it is written.
fn new_booking(request: &BookingRequest) -> BookingRecord {
    BookingRecord {
        id: BookingId::new(),
        consultant_id: request.consultant_id,
        employee_id: request.employee,
        org_id: request.org_id,
        starts_at: request.starts_at,
        ends_at: request.ends_at(),
        status: BookingStatus::Confirmed,
        nickname: request.nickname.clone(),
        agenda: request.agenda.clone(),
        idempotency_key: request.idempotency_key.clone(),
        rescheduled_to: None,
    }
}

fn no_credits() -> ApiError {
    ApiError::new(
        StatusCode::PAYMENT_REQUIRED,
        "no_credits",
        "your organisation has no session credits left",
    )
}

/// The booking in one transaction holding the consultant's calendar lock:
/// SQLite's path, and PostgreSQL's when a booking made at once must also
/// announce a new next free time, or keeps losing races for the calendar.
async fn book_under_lock(
    state: &BookingState,
    request: &BookingRequest,
) -> Result<(BookingRecord, Made), ApiError> {
    let now = time::now();
    let (start, end) = (request.starts_at, request.ends_at());
    // A retry is answered at once; a time already taken is refused at once,
    // without queueing on the calendar lock (racers arriving after the
    // winner committed). The checks under the lock below are what guarantee
    // one winner and one booking per key.
    {
        let mut conn = state.db.pool().acquire().await?;
        if let Some(earlier) = earlier_with_key(&mut conn, request).await? {
            return Ok((earlier, Made::Earlier));
        }
        if store::overlaps_booking(&mut conn, request.consultant_id, start, end).await? {
            // The winner may be this request's own first attempt.
            return match earlier_with_key(&mut conn, request).await? {
                Some(earlier) => Ok((earlier, Made::Earlier)),
                None => Err(slot_taken()),
            };
        }
    }
    let mut tx = state.db.begin_write().await?;
    let standing = store::lock_consultant(&mut tx, request.consultant_id).await?;
    // Under the lock: a request with the same key and consultant that got
    // here first has committed by now.
    if let Some(earlier) = earlier_with_key(&mut tx, request).await? {
        return Ok((earlier, Made::Earlier));
    }
    authorize(
        &employee_of(request),
        Action::UseCalendarOf {
            consultant: request.consultant_id,
            standing: standing.as_ref(),
        },
    )?;
    let busy = store::busy(
        &mut tx,
        request.consultant_id,
        start - Duration::days(2),
        end + Duration::days(2),
    )
    .await?;
    // Racing requests for a taken time fail here, before loading availability.
    if overlaps(request, &busy) {
        return Err(slot_taken());
    }
    let (availability, announced) =
        store::load_availability_and_announced(&mut tx, request.consultant_id)
            .await?
            .ok_or_else(no_availability)?;
    check_bookable(&availability, request, &busy, now)?;
    let booking = new_booking(request);
    let at = time::to_db(now);
    if let Err(err) = store::insert_booking(&mut tx, &booking, at).await {
        drop(tx);
        if is_unique_violation(&err) {
            // The same Idempotency-Key raced us for another consultant's
            // calendar: answer with its booking, or refuse a different one.
            let mut conn = state.db.pool().acquire().await?;
            if let Some(earlier) = earlier_with_key(&mut conn, request).await? {
                return Ok((earlier, Made::Earlier));
            }
        }
        return Err(err.into());
    }
    if may_change_next(&availability, announced, start, end) {
        announce_availability(&mut tx, request.consultant_id).await?;
    }
    notify::enqueue(&mut tx, booking.id, Kind::Confirmed).await?;
    reminders::schedule(&mut tx, &booking, now).await?;
    // Last, so the org's balance row (which every booking of the org
    // updates) is locked only for the ledger insert and the commit.
    if !store::take_credit(&mut tx, state.db.backend(), request.org_id, booking.id, at).await? {
        return Err(no_credits());
    }
    tx.commit().await?;
    Ok((booking, Made::Now))
}

fn no_availability() -> ApiError {
    ApiError::unprocessable("not_bookable", "this consultant has no availability")
}
