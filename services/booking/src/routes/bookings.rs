//! `/api/v1/bookings`: book, list, read, cancel, reschedule.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::UserId;
use utoipa::ToSchema;

use crate::BookingState;
use crate::booking::{self, BookingRequest, BookingView, load_for, view};
use crate::domain::booking::{Agenda, BookingId};
use crate::policy::{Action, authorize, lists_as_employee, sees_feedback_given};
use crate::store;

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
        (status = 422, description = "not_bookable: outside availability, notice or horizon; out_of_range: a start outside 2000–2200; idempotency_key_reused: the key was sent before with another consultant, start, length, agenda or nickname", body = ErrorBody),
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
    let request = BookingRequest {
        employee: caller.user_id,
        org_id,
        consultant_id: body.consultant_id,
        starts_at: body.starts_at,
        duration_minutes: body.duration_minutes,
        agenda: body.agenda,
        nickname,
        idempotency_key: key,
    };
    let booking = booking::book(&state, &request).await?;
    Ok((StatusCode::CREATED, Json(view(&state.rooms, booking))))
}

/// The caller's bookings.
#[derive(Serialize, ToSchema)]
pub struct BookingList {
    /// By start time.
    pub items: Vec<BookingView>,
}

/// The caller's own bookings (employee: theirs; consultant: with them), by
/// start: the latest 500 that have started, then the first 500 to come. HR: 403.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "booking", security(("bearer" = [])),
    responses((status = 200, description = "Bookings", body = BookingList), (status = 403, description = "HR and operators see no bookings", body = ErrorBody)))]
pub async fn list(
    State(state): State<BookingState>,
    caller: Caller,
) -> Result<Json<BookingList>, ApiError> {
    authorize(&caller, Action::ListOwn)?;
    let mut conn = state.db.pool().acquire().await?;
    let as_employee = lists_as_employee(&caller);
    let items =
        store::list_bookings(&mut conn, caller.user_id, as_employee, shared::time::now()).await?;
    // One read of the employee's ratings for the list; each booking is
    // still decided by the policy.
    let rated = if as_employee {
        Some(store::rated_by(&mut conn, caller.user_id).await?)
    } else {
        None
    };
    Ok(Json(BookingList {
        items: items
            .into_iter()
            .map(|b| {
                let given = rated
                    .as_ref()
                    .filter(|_| sees_feedback_given(&caller, &b))
                    .map(|r| r.contains(&b.id));
                BookingView {
                    feedback_given: given,
                    changeable_until: booking::changeable_until(&state, &caller, &b),
                    ..view(&state.rooms, b)
                }
            })
            .collect(),
    }))
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
    let record = load_for(&caller, id, &mut conn).await?;
    let (given, support) = if sees_feedback_given(&caller, &record) {
        (
            Some(store::feedback_of(&mut conn, record.id).await?.is_some()),
            Some(booking::support_offered(&mut conn, record.id).await?),
        )
    } else {
        (None, None)
    };
    Ok(Json(BookingView {
        feedback_given: given,
        support_offered: support,
        changeable_until: booking::changeable_until(&state, &caller, &record),
        ..view(&state.rooms, record)
    }))
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
    let updated = booking::cancel(&state, &caller, id).await?;
    Ok(Json(view(&state.rooms, updated)))
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
    let moved = booking::reschedule(&state, &caller, id, body.starts_at).await?;
    Ok(Json(view(&state.rooms, moved)))
}
