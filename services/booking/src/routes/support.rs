//! The crisis path: `GET|POST /api/v1/bookings/{id}/support` (the employee
//! of a flagged session) and `GET|PUT /api/v1/orgs/{org_id}/support-contact`
//! (HR of the org, operators).

use axum::extract::State;
use serde::Deserialize;
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use utoipa::ToSchema;

use crate::BookingState;
use crate::booking::{self, SupportOffer};
use crate::domain::booking::BookingId;
use crate::domain::support::SupportContact;

/// What the employee's consultant flagged a session for: public helplines,
/// the org's occupational physician or EAP, and whether the employee asked
/// to be put in touch. Its employee only; 404 for any session not flagged.
#[utoipa::path(get, path = "/api/v1/bookings/{id}/support", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    responses(
        (status = 200, description = "The offer", body = SupportOffer),
        (status = 403, description = "Not the session's employee", body = ErrorBody),
        (status = 404, description = "Not yours, or not flagged", body = ErrorBody),
    ))]
pub async fn offer(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
) -> Result<Json<SupportOffer>, ApiError> {
    Ok(Json(booking::support_offer(&state, &caller, id).await?))
}

/// The employee's consent to be put in touch.
#[derive(Deserialize, ToSchema)]
pub struct SupportRequestBody {
    /// Must be true: "pass my name and email address to the contact".
    pub consent: bool,
}

/// Asks to be put in touch with the org's contact: with consent, their
/// name and email address are passed on by email, nothing of the session;
/// asking twice sends nothing more.
#[utoipa::path(post, path = "/api/v1/bookings/{id}/support", tag = "booking", security(("bearer" = [])),
    params(("id" = BookingId, Path, description = "Booking")),
    request_body = SupportRequestBody,
    responses(
        (status = 200, description = "Passed on (or already)", body = SupportOffer),
        (status = 403, description = "Not the session's employee", body = ErrorBody),
        (status = 404, description = "Not yours, or not flagged", body = ErrorBody),
        (status = 409, description = "no_support_contact: the org gave no address to pass it to", body = ErrorBody),
        (status = 422, description = "consent_required", body = ErrorBody),
    ))]
pub async fn ask(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<BookingId>,
    Json(body): Json<SupportRequestBody>,
) -> Result<Json<SupportOffer>, ApiError> {
    if !body.consent {
        // Who may ask is decided before what they sent is judged.
        booking::support_offer(&state, &caller, id).await?;
        return Err(ApiError::unprocessable(
            "consent_required",
            "tick the consent: your name and email address are passed on",
        ));
    }
    Ok(Json(booking::ask_for_support(&state, &caller, id).await?))
}

/// The org's support contact for the crisis path.
#[utoipa::path(get, path = "/api/v1/orgs/{org_id}/support-contact", tag = "booking", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    responses(
        (status = 200, description = "The contact", body = SupportContact),
        (status = 403, description = "Not HR or an operator", body = ErrorBody),
        (status = 404, description = "None set, or another org", body = ErrorBody),
    ))]
pub async fn contact(
    State(state): State<BookingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
) -> Result<Json<SupportContact>, ApiError> {
    Ok(Json(booking::support_contact(&state, &caller, org).await?))
}

/// Sets the org's occupational physician or EAP: a name and at least one
/// of email, phone or an https page (the email is where employees'
/// requests to be put in touch go; it must not be HR's own).
#[utoipa::path(put, path = "/api/v1/orgs/{org_id}/support-contact", tag = "booking", security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "Org")),
    request_body = SupportContact,
    responses(
        (status = 200, description = "Set", body = SupportContact),
        (status = 403, description = "Not HR or an operator", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
        (status = 422, description = "invalid_support_contact", body = ErrorBody),
    ))]
pub async fn set_contact(
    State(state): State<BookingState>,
    caller: Caller,
    Path(org): Path<OrgId>,
    Json(body): Json<SupportContact>,
) -> Result<Json<SupportContact>, ApiError> {
    Ok(Json(
        booking::set_support_contact(&state, &caller, org, body).await?,
    ))
}
