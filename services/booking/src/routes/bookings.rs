//! `/api/v1/bookings`: book, list, read, cancel, reschedule.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use shared::auth::{Caller, Role};
use shared::db::{is_unique_violation, retry_conflicts};
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::UserId;
use shared::time;
use utoipa::ToSchema;

use crate::BookingState;
use crate::domain::booking::{Agenda, BookingId, BookingStatus};
use crate::events::{enqueue_availability, may_change_next};
use crate::notify::{self, Kind};
use crate::policy::{Action, authorize};
use crate::reminders;
use crate::store::{self, BookingRecord};

/// A booking as its two participants see it.
#[derive(Serialize, ToSchema)]
pub struct BookingView {
    /// Id.
    pub id: BookingId,
    /// State.
    pub status: BookingStatus,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// Consultant.
    pub consultant_id: UserId,
    /// Join link to this booking's own meeting room (while it is confirmed;
    /// the room opens 10 minutes before the start).
    pub join_url: Option<String>,
    /// The agenda card.
    pub agenda: Option<Agenda>,
    /// The name the employee chose to show the consultant.
    pub nickname: Option<String>,
    /// The booking this one was moved to.
    pub rescheduled_to: Option<BookingId>,
}

pub(crate) fn view(rooms: &crate::rooms::Rooms, b: BookingRecord) -> BookingView {
    BookingView {
        join_url: rooms.link_for(&b),
        id: b.id,
        status: b.status,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        consultant_id: b.consultant_id,
        agenda: b.agenda,
        nickname: b.nickname,
        rescheduled_to: b.rescheduled_to,
    }
}

/// A booking request.
#[derive(Clone, Deserialize, ToSchema)]
pub struct NewBooking {
    /// Consultant.
    pub consultant_id: UserId,
    /// Start of a listed slot (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// A length the consultant offers.
    pub duration_minutes: u32,
    /// The agenda card (consultant's eyes only).
    #[serde(default)]
    pub agenda: Option<Agenda>,
    /// A nickname to show the consultant instead of the name (up to 40 characters).
    #[serde(default)]
    pub nickname: Option<String>,
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_idempotency_key",
                "Idempotency-Key must be printable ASCII",
            )
        })?
        .trim();
    if key.is_empty() || key.len() > 200 {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            "Idempotency-Key must have 1–200 characters",
        ));
    }
    Ok(Some(key.to_owned()))
}

/// Books a session. The slot check, the credit and the insert happen in one
/// transaction that holds the consultant's calendar lock, so a slot can never
/// be booked twice. A repeated `Idempotency-Key` returns the first booking,
/// however the copies raced; the key with a different request is refused.
#[utoipa::path(post, path = "/api/v1/bookings", tag = "booking", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NewBooking,
    responses(
        (status = 201, description = "Confirmed", body = BookingView),
        (status = 402, description = "no_credits: the org has no session credits", body = ErrorBody),
        (status = 403, description = "Only employees book", body = ErrorBody),
        (status = 404, description = "No such consultant (or not approved, or tied to the employee's org)", body = ErrorBody),
        (status = 409, description = "slot_taken", body = ErrorBody),
        (status = 422, description = "not_bookable: outside availability, notice or horizon; out_of_range: a start outside 2000–2200; idempotency_key_reused: the key was sent before with another consultant, start or length", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<BookingState>,
    caller: Caller,
    headers: HeaderMap,
    Json(body): Json<NewBooking>,
) -> Result<(StatusCode, Json<BookingView>), ApiError> {
    authorize(&caller, Action::Book)?;
    let org_id = caller.org_id.ok_or_else(ApiError::forbidden)?;
    let key = idempotency_key(&headers)?;
    if let Some(agenda) = &body.agenda {
        agenda
            .check()
            .map_err(|m| ApiError::unprocessable("invalid_agenda", m))?;
    }
    let nickname = body
        .nickname
        .as_ref()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if nickname
        .as_ref()
        .is_some_and(|n| n.chars().count() > 40 || n.chars().any(char::is_control))
    {
        return Err(ApiError::unprocessable(
            "invalid_nickname",
            "a nickname has at most 40 characters",
        ));
    }
    let booking = retry_conflicts(|| {
        book(
            &state,
            caller.user_id,
            org_id,
            body.clone(),
            nickname.clone(),
            key.clone(),
        )
    })
    .await?;
    Ok((StatusCode::CREATED, Json(view(&state.rooms, booking))))
}

/// The booking an earlier request with the same `Idempotency-Key` made, if
/// any: returned when this request asks for the same thing (a retry), refused
/// with 422 `idempotency_key_reused` when it asks for something else (as the
/// IETF Idempotency-Key draft and Stripe do), so a client never gets a booking
/// it did not ask for.
async fn earlier_with_key(
    conn: &mut sqlx::AnyConnection,
    employee: UserId,
    key: Option<&str>,
    body: &NewBooking,
) -> Result<Option<BookingRecord>, ApiError> {
    let Some(key) = key else {
        return Ok(None);
    };
    let Some(earlier) = store::find_by_idempotency_key(conn, employee, key).await? else {
        return Ok(None);
    };
    let same = earlier.consultant_id == body.consultant_id
        && earlier.starts_at == body.starts_at
        && earlier.ends_at - earlier.starts_at
            == Duration::minutes(i64::from(body.duration_minutes));
    if !same {
        return Err(ApiError::unprocessable(
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different booking; send a new key for a new request",
        ));
    }
    Ok(Some(earlier))
}

/// Books a session for an employee of `org_id`: the slot check, the credit and
/// the insert in one transaction holding the consultant's calendar lock. A
/// request carrying the `Idempotency-Key` of an earlier one gets that
/// booking, however the two raced. Shared by the handler and
/// `taiwa bench booking`; callers run it through `retry_conflicts`.
pub async fn book(
    state: &BookingState,
    employee: UserId,
    org_id: shared::ids::OrgId,
    body: NewBooking,
    nickname: Option<String>,
    key: Option<String>,
) -> Result<BookingRecord, ApiError> {
    time::within_bounds(body.starts_at, "starts_at")?;
    let now = time::now();
    let end = body.starts_at + Duration::minutes(i64::from(body.duration_minutes));
    // A retry is answered at once; a time already taken is refused at once,
    // without queueing on the calendar lock (racers arriving after the
    // winner committed). The checks under the lock below are what guarantee
    // one winner and one booking per key.
    {
        let mut conn = state.db.pool().acquire().await?;
        if let Some(earlier) = earlier_with_key(&mut conn, employee, key.as_deref(), &body).await? {
            return Ok(earlier);
        }
        if store::overlaps_booking(&mut conn, body.consultant_id, body.starts_at, end).await? {
            // The winner may be this request's own first attempt.
            if let Some(earlier) =
                earlier_with_key(&mut conn, employee, key.as_deref(), &body).await?
            {
                return Ok(earlier);
            }
            return Err(ApiError::conflict(
                "slot_taken",
                "this time was just booked; choose another slot",
            ));
        }
    }
    let mut tx = state.db.begin_write().await?;
    let standing = store::lock_consultant(&mut tx, state.db.backend(), body.consultant_id).await?;
    // Under the lock: a request with the same key and consultant that got
    // here first has committed by now.
    if let Some(earlier) = earlier_with_key(&mut tx, employee, key.as_deref(), &body).await? {
        return Ok(earlier);
    }
    let employee_caller = Caller {
        user_id: employee,
        role: Role::Employee,
        org_id: Some(org_id),
    };
    authorize(
        &employee_caller,
        Action::UseCalendarOf {
            consultant: body.consultant_id,
            standing: standing.as_ref(),
        },
    )?;
    let busy = store::busy(
        &mut tx,
        body.consultant_id,
        body.starts_at - Duration::days(2),
        end + Duration::days(2),
    )
    .await?;
    // Racing requests for a taken time fail here, before loading availability.
    if busy.iter().any(|b| b.start < end && body.starts_at < b.end) {
        return Err(ApiError::conflict(
            "slot_taken",
            "this time was just booked; choose another slot",
        ));
    }
    let (availability, announced) =
        store::load_availability_and_announced(&mut tx, body.consultant_id)
            .await?
            .ok_or_else(|| {
                ApiError::unprocessable("not_bookable", "this consultant has no availability")
            })?;
    if !availability.is_bookable(body.starts_at, body.duration_minutes, &busy, now) {
        return Err(
            if availability.is_bookable(body.starts_at, body.duration_minutes, &[], now) {
                ApiError::conflict(
                    "slot_taken",
                    "this time was just booked; choose another slot",
                )
            } else {
                ApiError::unprocessable(
                    "not_bookable",
                    "this time is outside the consultant's availability, notice or horizon",
                )
            },
        );
    }
    let booking = BookingRecord {
        id: BookingId::new(),
        consultant_id: body.consultant_id,
        employee_id: employee,
        org_id,
        starts_at: body.starts_at,
        ends_at: end,
        status: BookingStatus::Confirmed,
        nickname,
        agenda: body.agenda.clone(),
        idempotency_key: key.clone(),
        rescheduled_to: None,
    };
    let at = time::to_db(now);
    if let Err(err) = store::insert_booking(&mut tx, &booking, at).await {
        drop(tx);
        if is_unique_violation(&err) {
            // The same Idempotency-Key raced us for another consultant's
            // calendar: answer with its booking, or refuse a different one.
            let mut conn = state.db.pool().acquire().await?;
            if let Some(earlier) =
                earlier_with_key(&mut conn, employee, key.as_deref(), &body).await?
            {
                return Ok(earlier);
            }
        }
        return Err(err.into());
    }
    if may_change_next(&availability, announced, booking.starts_at, booking.ends_at) {
        enqueue_availability(&mut tx, body.consultant_id).await?;
    }
    notify::enqueue(&mut tx, booking.id, Kind::Confirmed).await?;
    reminders::schedule(&mut tx, &booking, now).await?;
    // Last, so the org's balance row (which every booking of the org
    // updates) is locked only for the ledger insert and the commit.
    if !store::take_credit(&mut tx, state.db.backend(), org_id, booking.id, at).await? {
        return Err(ApiError::new(
            StatusCode::PAYMENT_REQUIRED,
            "no_credits",
            "your organisation has no session credits left",
        ));
    }
    tx.commit().await?;
    state.wakeup.wake();
    tracing::info!(booking_id = %booking.id, "booking confirmed");
    Ok(booking)
}

/// The caller's bookings.
#[derive(Serialize, ToSchema)]
pub struct BookingList {
    /// By start time.
    pub items: Vec<BookingView>,
}

/// The caller's own bookings (employee: theirs; consultant: with them). HR: 403.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "booking", security(("bearer" = [])),
    responses((status = 200, description = "Bookings", body = BookingList), (status = 403, description = "HR and operators see no bookings", body = ErrorBody)))]
pub async fn list(
    State(state): State<BookingState>,
    caller: Caller,
) -> Result<Json<BookingList>, ApiError> {
    authorize(&caller, Action::ListOwn)?;
    let mut conn = state.db.pool().acquire().await?;
    let items =
        store::list_bookings(&mut conn, caller.user_id, caller.role == Role::Employee).await?;
    Ok(Json(BookingList {
        items: items.into_iter().map(|b| view(&state.rooms, b)).collect(),
    }))
}

pub(crate) async fn load_for(
    caller: &Caller,
    id: BookingId,
    conn: &mut sqlx::AnyConnection,
) -> Result<BookingRecord, ApiError> {
    if matches!(caller.role, Role::Hr | Role::Operator) {
        return Err(ApiError::forbidden());
    }
    let booking = store::find_booking(conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    authorize(caller, Action::Touch(&booking))?;
    Ok(booking)
}

/// One of the caller's bookings.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    responses((status = 200, description = "Booking", body = BookingView), (status = 403, description = "HR", body = ErrorBody), (status = 404, description = "Not yours or no such booking", body = ErrorBody)))]
pub async fn get_one(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
) -> Result<Json<BookingView>, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(view(
        &state.rooms,
        load_for(&caller, id, &mut conn).await?,
    )))
}

fn check_cutoff(
    state: &BookingState,
    caller: &Caller,
    booking: &BookingRecord,
) -> Result<(), ApiError> {
    let cutoff = Duration::from_std(state.settings.cancellation_cutoff)
        .unwrap_or_else(|_| Duration::hours(24));
    if caller.role == Role::Employee && booking.starts_at - time::now() < cutoff {
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

/// Cancels a booking and frees its slot; the credit goes back to the org.
/// Cancelling twice is harmless. Employees can cancel until the cutoff
/// (default 24 h before); consultants any time.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    responses(
        (status = 200, description = "Cancelled", body = BookingView),
        (status = 403, description = "HR and operators see no booking", body = ErrorBody),
        (status = 404, description = "Not yours or no such booking", body = ErrorBody),
        (status = 409, description = "cutoff_passed, or the session is over", body = ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
) -> Result<Json<BookingView>, ApiError> {
    let updated = retry_conflicts(|| cancel_once(&state, &caller, id)).await?;
    state.wakeup.wake();
    Ok(Json(view(&state.rooms, updated)))
}

/// One attempt at cancelling, in the store's lock order: the consultant's
/// calendar, the booking and the availability row, the org's balance last.
async fn cancel_once(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
) -> Result<BookingRecord, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let booking = load_for(caller, id, &mut tx).await?;
    match booking.status {
        BookingStatus::Cancelled => return Ok(booking),
        BookingStatus::Confirmed => {}
        other => {
            return Err(ApiError::conflict(
                "not_cancellable",
                format!("a {} booking cannot be cancelled", other.as_str()),
            ));
        }
    }
    check_cutoff(state, caller, &booking)?;
    store::lock_consultant(&mut tx, state.db.backend(), booking.consultant_id).await?;
    let now = time::to_db(time::now());
    if !store::transition(
        &mut tx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Cancelled,
        None,
        now,
    )
    .await?
    {
        return Err(ApiError::conflict(
            "not_cancellable",
            "the booking changed meanwhile; reload it",
        ));
    }
    enqueue_availability(&mut tx, booking.consultant_id).await?;
    notify::enqueue(&mut tx, id, Kind::Cancelled).await?;
    reminders::unschedule(&mut tx, id).await?;
    store::add_credits(
        &mut tx,
        booking.org_id,
        1,
        "refund",
        Some(&id.to_string()),
        now,
    )
    .await?;
    let updated = store::find_booking(&mut tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    tx.commit().await?;
    Ok(updated)
}

/// A new start for a booking.
#[derive(Deserialize, ToSchema)]
pub struct RescheduleBody {
    /// New start (a listed slot).
    pub starts_at: DateTime<Utc>,
}

/// Moves a booking to another slot atomically: the new slot is taken and the
/// old one freed, or nothing changes.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/reschedule", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    request_body = RescheduleBody,
    responses(
        (status = 200, description = "The new booking", body = BookingView),
        (status = 403, description = "Only the booking's employee", body = ErrorBody),
        (status = 404, description = "Not yours or no such booking", body = ErrorBody),
        (status = 409, description = "slot_taken, cutoff_passed or not confirmed", body = ErrorBody),
        (status = 422, description = "not_bookable", body = ErrorBody),
    ))]
pub async fn reschedule(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
    Json(body): Json<RescheduleBody>,
) -> Result<Json<BookingView>, ApiError> {
    let starts_at = time::within_bounds(body.starts_at, "starts_at")?;
    let moved = retry_conflicts(|| reschedule_once(&state, &caller, id, starts_at)).await?;
    state.wakeup.wake();
    Ok(Json(view(&state.rooms, moved)))
}

/// One attempt at moving a booking (calendar lock, then the bookings).
async fn reschedule_once(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
    starts_at: DateTime<Utc>,
) -> Result<BookingRecord, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let booking = load_for(caller, id, &mut tx).await?;
    if booking.status != BookingStatus::Confirmed {
        return Err(ApiError::conflict(
            "not_reschedulable",
            "only a confirmed booking can be moved",
        ));
    }
    check_cutoff(state, caller, &booking)?;
    let standing =
        store::lock_consultant(&mut tx, state.db.backend(), booking.consultant_id).await?;
    authorize(
        caller,
        Action::UseCalendarOf {
            consultant: booking.consultant_id,
            standing: standing.as_ref(),
        },
    )?;
    let availability = store::load_availability(&mut tx, booking.consultant_id)
        .await?
        .ok_or_else(|| {
            ApiError::unprocessable("not_bookable", "this consultant has no availability")
        })?;
    let minutes = u32::try_from((booking.ends_at - booking.starts_at).num_minutes()).unwrap_or(60);
    let end = starts_at + Duration::minutes(i64::from(minutes));
    let now = time::now();
    let others: Vec<_> = store::busy(
        &mut tx,
        booking.consultant_id,
        starts_at - Duration::days(2),
        end + Duration::days(2),
    )
    .await?
    .into_iter()
    .filter(|b| !(b.start == booking.starts_at && b.end == booking.ends_at))
    .collect();
    if !availability.is_bookable(starts_at, minutes, &others, now) {
        return Err(if availability.is_bookable(starts_at, minutes, &[], now) {
            ApiError::conflict("slot_taken", "that time is taken; nothing changed")
        } else {
            ApiError::unprocessable(
                "not_bookable",
                "that time is outside the consultant's availability; nothing changed",
            )
        });
    }
    let moved = BookingRecord {
        id: BookingId::new(),
        starts_at,
        ends_at: end,
        idempotency_key: None,
        rescheduled_to: None,
        ..booking.clone()
    };
    let at = time::to_db(now);
    if !store::transition(
        &mut tx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Rescheduled,
        Some(moved.id),
        at,
    )
    .await?
    {
        return Err(ApiError::conflict(
            "not_reschedulable",
            "the booking changed meanwhile; nothing changed",
        ));
    }
    store::insert_booking(&mut tx, &moved, at).await?;
    enqueue_availability(&mut tx, booking.consultant_id).await?;
    notify::enqueue(&mut tx, id, Kind::Moved).await?;
    notify::enqueue(&mut tx, moved.id, Kind::Confirmed).await?;
    reminders::unschedule(&mut tx, id).await?;
    reminders::schedule(&mut tx, &moved, now).await?;
    tx.commit().await?;
    Ok(moved)
}
