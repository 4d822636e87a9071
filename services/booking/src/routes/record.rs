//! `/api/v1/bookings/{id}/record`: the consultant's session record — private
//! notes (encrypted, theirs alone), theme codes and an organisational summary.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::contracts::Outcome;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::time;
use utoipa::ToSchema;

use crate::crypto::{decrypt, encrypt};
use crate::domain::booking::{BookingId, BookingStatus};
use crate::handoff::{maybe_hand_off, session_closed};
use crate::policy::{Action, authorize};
use crate::store::{self, BookingRecord};
use crate::{AUDIT, BookingState};

/// A session record.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RecordBody {
    /// The consultant's private notes (up to 20,000 characters); encrypted at rest, never shared.
    pub private_notes: String,
    /// Theme codes from the reporting taxonomy (up to 10, `snake_case`).
    pub themes: Vec<String>,
    /// A short summary for the organisational report (up to 2,000 characters);
    /// contact details are scrubbed before it leaves booking.
    pub org_summary: String,
    /// What the employee agreed to do (up to 10 items of 200 characters);
    /// they belong to the employee.
    #[serde(default)]
    pub action_items: Vec<String>,
    /// The employee agreed, in the session, to take a sensitive theme
    /// (health, harassment) further through the crisis path. Needs a
    /// sensitive theme; travels in the de-identified hand-off as a flag only.
    #[serde(default)]
    pub crisis_path: bool,
}

async fn load_own(
    caller: &Caller,
    id: BookingId,
    conn: &mut sqlx::AnyConnection,
) -> Result<BookingRecord, ApiError> {
    let booking = crate::booking::load_for(caller, id, conn).await?;
    // The employee's booking too, but the record is the consultant's alone.
    authorize(caller, Action::ConsultantOf(&booking))?;
    Ok(booking)
}

fn check(body: &RecordBody) -> Result<(), ApiError> {
    let bad = |m: &str| Err(ApiError::unprocessable("invalid_record", m));
    if body.private_notes.chars().count() > 20_000 || body.org_summary.chars().count() > 2_000 {
        return bad("private_notes at most 20000 characters, org_summary at most 2000");
    }
    if body.action_items.len() > 10
        || body
            .action_items
            .iter()
            .any(|a| a.trim().is_empty() || a.chars().count() > 200)
    {
        return bad("action_items: at most 10, each 1–200 characters");
    }
    if body.themes.len() > 10 {
        return bad("themes: at most 10");
    }
    if let Some(unknown) = body.themes.iter().find(|t| !shared::themes::is_theme(t)) {
        return Err(ApiError::unprocessable(
            "unknown_theme",
            format!("{unknown:?} is not in the theme taxonomy (GET /api/v1/themes)"),
        ));
    }
    if body.crisis_path && !body.themes.iter().any(|t| shared::themes::is_sensitive(t)) {
        return Err(ApiError::unprocessable(
            "crisis_path_needs_sensitive_theme",
            "crisis_path goes with a sensitive theme (health or harassment)",
        ));
    }
    Ok(())
}

/// Writes (or rewrites) the record of a held session (its consultant only).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/record", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    request_body = RecordBody,
    responses(
        (status = 200, description = "Saved", body = RecordBody),
        (status = 403, description = "Only the session's consultant", body = ErrorBody),
        (status = 404, description = "Not theirs or no such booking", body = ErrorBody),
        (status = 409, description = "The session has not been held", body = ErrorBody),
        (status = 422, description = "Too long, or bad theme codes", body = ErrorBody),
    ))]
pub async fn write(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
    Json(body): Json<RecordBody>,
) -> Result<Json<RecordBody>, ApiError> {
    check(&body)?;
    let mut tx = state.db.begin_write().await?;
    let booking = load_own(&caller, id, &mut tx).await?;
    if !booking.was_held(time::now()) {
        return Err(ApiError::conflict(
            "not_held",
            "a record can be written after a held session",
        ));
    }
    let now = time::to_db(time::now());
    let data_key = match store::wrapped_key(&mut tx, booking.employee_id).await? {
        Some(wrapped) => state.master.unwrap_data_key(&wrapped)?,
        None => {
            let (key, wrapped) = state.master.new_data_key()?;
            store::insert_wrapped_key(&mut tx, booking.employee_id, &wrapped, now).await?;
            key
        }
    };
    let mut themes = body.themes.clone();
    themes.sort();
    themes.dedup();
    store::save_record(
        &mut tx,
        &booking,
        &encrypt(&data_key, &body.private_notes)?,
        &themes,
        body.org_summary.trim(),
        body.crisis_path,
        now,
    )
    .await?;
    let action_items: Vec<String> = body
        .action_items
        .iter()
        .map(|a| a.trim().to_owned())
        .collect();
    store::replace_action_items(&mut tx, &booking, &action_items, now).await?;
    if store::transition(
        &mut tx,
        id,
        BookingStatus::Confirmed,
        BookingStatus::Completed,
        None,
        now,
    )
    .await?
    {
        session_closed(&mut tx, &state.master, &booking, Outcome::Held).await?;
    }
    maybe_hand_off(&mut tx, &state.master, &booking).await?;
    tx.commit().await?;
    state.wakeup.wake();
    Ok(Json(RecordBody {
        private_notes: body.private_notes,
        themes,
        org_summary: body.org_summary.trim().to_owned(),
        action_items,
        crisis_path: body.crisis_path,
    }))
}

/// The record of a session (its consultant only; notes decrypted for them).
#[utoipa::path(get, path = "/api/v1/bookings/{id}/record", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    responses(
        (status = 200, description = "The record", body = RecordBody),
        (status = 403, description = "Only the session's consultant", body = ErrorBody),
        (status = 404, description = "No record, or not theirs", body = ErrorBody),
    ))]
pub async fn read(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
) -> Result<Json<RecordBody>, ApiError> {
    // The audit row is written first, in the read's transaction: a read that
    // cannot be audited does not happen.
    let mut conn = state.db.begin_write().await?;
    let booking = load_own(&caller, id, &mut conn).await?;
    let record = store::find_record(&mut conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    AUDIT
        .record(&mut conn, &caller, "record.read", &id.to_string())
        .await?;
    let wrapped = store::wrapped_key(&mut conn, booking.employee_id)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::GONE,
                "notes_erased",
                "these notes were erased with the employee's data",
            )
        })?;
    // Notes past the retention period were erased (nothing left to decrypt).
    let notes = if record.private_notes.is_empty() {
        String::new()
    } else {
        decrypt(
            &state.master.unwrap_data_key(&wrapped)?,
            &record.private_notes,
        )?
    };
    let action_items =
        store::action_items_with(&mut conn, booking.employee_id, booking.consultant_id)
            .await?
            .into_iter()
            .filter(|a| a.booking_id == id)
            .map(|a| a.text)
            .collect();
    conn.commit().await?;
    Ok(Json(RecordBody {
        private_notes: notes,
        themes: record.themes,
        org_summary: record.org_summary,
        action_items,
        crisis_path: record.crisis_path,
    }))
}
