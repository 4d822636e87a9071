//! The crisis path, for the employee. When their consultant flags a held
//! session for it (with the employee's agreement, on a sensitive theme),
//! the employee is shown public helplines and their org's occupational
//! physician or EAP, and may ask to be put in touch with the latter: with
//! their consent, booking emails that contact — at the address the
//! employee was shown, kept with the request — their name and address,
//! and nothing of the session. HR sets the contact (every change audited,
//! never an address of the org's own accounts) and Taiwa never tells HR
//! who asked, nor how many.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shared::auth::Caller;
use shared::error::ApiError;
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use super::load_for;
use crate::AUDIT;
use crate::BookingState;
use crate::domain::booking::BookingId;
use crate::domain::support::{HELPLINES, Helpline, SupportContact};
use crate::notify::{self, Kind};
use crate::policy::{Action, authorize};
use crate::store::{self, BookingRecord, SupportRequest};

/// What the employee of a flagged session is offered.
#[derive(Serialize, ToSchema)]
pub struct SupportOffer {
    /// Public helplines.
    pub helplines: Vec<Helpline>,
    /// The org's occupational physician or EAP, if HR set one.
    pub org_contact: Option<SupportContact>,
    /// Whether Taiwa can pass on a request to be put in touch (the org's
    /// contact has an email address).
    pub can_put_in_touch: bool,
    /// When the employee asked to be put in touch, if they did.
    pub requested_at: Option<DateTime<Utc>>,
    /// Whom the request went to (`name <address>`), as the employee agreed.
    pub requested_to: Option<String>,
}

/// The booking `id` if `caller` is its employee and its consultant flagged
/// it for the crisis path (or they asked for support after it, whatever the
/// record says now); 404 otherwise, as for no such booking.
async fn flagged(
    caller: &Caller,
    id: BookingId,
    conn: &mut sqlx::AnyConnection,
) -> Result<BookingRecord, ApiError> {
    let booking = load_for(caller, id, conn).await?;
    authorize(caller, Action::EmployeeOf(&booking))?;
    if !offered(conn, id).await? && store::support_request(conn, id).await?.is_none() {
        return Err(ApiError::not_found());
    }
    Ok(booking)
}

/// The contact's address if a request can be sent to it.
fn reachable(contact: &SupportContact) -> Option<&str> {
    contact
        .email
        .as_deref()
        .filter(|e| shared::mail::Mailer::deliverable(e))
}

async fn offer_for(
    conn: &mut sqlx::AnyConnection,
    booking: &BookingRecord,
) -> Result<SupportOffer, ApiError> {
    let org_contact = store::support_contact(conn, booking.org_id).await?;
    let request = store::support_request(conn, booking.id).await?;
    Ok(SupportOffer {
        helplines: HELPLINES.to_vec(),
        can_put_in_touch: org_contact.as_ref().and_then(reachable).is_some(),
        org_contact,
        requested_at: request.as_ref().map(|r| time::from_db(r.created_at)),
        requested_to: request.map(|r| format!("{} <{}>", r.contact_name, r.contact_email)),
    })
}

/// Whether the employee of `booking` is offered support (no error: a
/// booking view asks for its own employee only).
pub async fn offered(conn: &mut sqlx::AnyConnection, booking: BookingId) -> anyhow::Result<bool> {
    Ok(store::find_record(conn, booking)
        .await?
        .is_some_and(|r| r.crisis_path))
}

/// The offer of a flagged session, to its employee.
pub async fn support_offer(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
) -> Result<SupportOffer, ApiError> {
    let mut conn = state.db.pool().acquire().await?;
    let booking = flagged(caller, id, &mut conn).await?;
    offer_for(&mut conn, &booking).await
}

/// The employee asks to be put in touch with their org's contact: once
/// (asking again changes nothing); 409 `no_support_contact` when the org
/// has no contact with an email address.
pub async fn ask_for_support(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
) -> Result<SupportOffer, ApiError> {
    let mut tx = state.db.begin_write().await?;
    let booking = flagged(caller, id, &mut tx).await?;
    if store::support_request(&mut tx, id).await?.is_none() {
        let contact = store::support_contact(&mut tx, booking.org_id).await?;
        let Some((name, email)) = contact
            .as_ref()
            .and_then(|c| reachable(c).map(|e| (c.name.clone(), e.to_owned())))
        else {
            return Err(ApiError::conflict(
                "no_support_contact",
                "your organisation has not given a contact Taiwa can pass a request to; the helplines and the contact's own details are on this page",
            ));
        };
        let request = SupportRequest {
            contact_name: name,
            contact_email: email,
            created_at: time::to_db(time::now()),
        };
        if store::insert_support_request(&mut tx, id, &request).await? {
            notify::enqueue(&mut tx, id, Kind::SupportRequested).await?;
        }
    }
    let offer = offer_for(&mut tx, &booking).await?;
    tx.commit().await?;
    state.wakeup.wake();
    Ok(offer)
}

/// An org's support contact: HR of the org and operators; 404 when none.
pub async fn support_contact(
    state: &BookingState,
    caller: &Caller,
    org: OrgId,
) -> Result<SupportContact, ApiError> {
    authorize(caller, Action::SupportContactOf(org))?;
    let mut conn = state.db.pool().acquire().await?;
    store::support_contact(&mut conn, org)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// Sets an org's support contact (HR of the org, operators; audited); 422
/// `invalid_support_contact` naming what is wrong — among it an address
/// mail cannot be sent to, or one of the org's own Taiwa accounts (HR's
/// included), which would tell the org who asked.
pub async fn set_support_contact(
    state: &BookingState,
    caller: &Caller,
    org: OrgId,
    contact: SupportContact,
) -> Result<SupportContact, ApiError> {
    authorize(caller, Action::SupportContactOf(org))?;
    let contact = contact.checked().map_err(|(field, m)| {
        ApiError::unprocessable("invalid_support_contact", m)
            .with_details(serde_json::json!({ "field": field }))
    })?;
    let invalid = |message: &str, reason: &str| {
        ApiError::unprocessable("invalid_support_contact", message)
            .with_details(serde_json::json!({ "field": "email", "reason": reason }))
    };
    if contact
        .email
        .as_deref()
        .is_some_and(|e| !shared::mail::Mailer::deliverable(e))
    {
        return Err(invalid("the email address is not valid", "not_deliverable"));
    }
    let mut tx = state.db.begin_write().await?;
    if let Some(email) = contact.email.as_deref()
        && store::is_address_of_org(&mut tx, org, email).await?
    {
        return Err(invalid(
            "this is the address of one of the organisation's own Taiwa accounts; give the occupational physician's or EAP's own address",
            "own_account",
        ));
    }
    store::save_support_contact(&mut tx, org, &contact, time::to_db(time::now())).await?;
    AUDIT
        .record(&mut tx, caller, "support_contact.set", &org.to_string())
        .await?;
    tx.commit().await?;
    Ok(contact)
}
