//! Data rights in booking: an employee's export (`GET
//! /api/v1/booking/me/data`: their bookings with agendas, feedback and
//! action items — not the consultant's private notes, which are the
//! consultant's record), erasure on `identity.user_erased.v1`, and the
//! retention of private notes.
//!
//! Erasure destroys the employee's data key, so every private note about
//! them becomes unreadable at once (crypto-shredding), cancels their future
//! sessions (the org's credit comes back; the consultant sees the
//! cancellation in their list), and deletes agendas, nicknames, action items
//! and their contact details. What stays identifies no one: booking rows
//! under an id identity no longer resolves, ratings, the credit ledger.

use std::sync::Arc;

use anyhow::Context;
use axum::extract::State;
use serde::Serialize;
use shared::auth::Caller;
use shared::contracts::UserErased;
use shared::error::{ApiError, ErrorBody};
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};
use shared::http::Json;
use shared::ids::UserId;
use shared::time;
use utoipa::ToSchema;

use crate::BookingState;
use crate::booking::{BookingView, view};
use crate::domain::booking::BookingStatus;
use crate::policy::{Action, authorize};
use crate::store;

/// One rating the employee gave.
#[derive(Serialize, ToSchema)]
pub struct FeedbackData {
    /// The session.
    pub booking_id: String,
    /// 1–5.
    pub rating: i64,
    /// Whether its themes may reach the organisational report.
    pub share_with_org: bool,
    /// Whether the cohort attributes may go with them.
    pub cohort_consent: bool,
}

/// One action item.
#[derive(Serialize, ToSchema)]
pub struct ActionItemData {
    /// The session it was agreed in.
    pub booking_id: String,
    /// What to do.
    pub text: String,
    /// When it was ticked, if it was.
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A request to be put in touch with the org's support contact.
#[derive(Serialize, ToSchema)]
pub struct SupportRequestData {
    /// After which session.
    pub booking_id: String,
    /// When.
    pub requested_at: chrono::DateTime<chrono::Utc>,
    /// To whom their name and address were passed.
    pub passed_to: String,
}

/// What booking holds about the caller.
#[derive(Serialize, ToSchema)]
pub struct BookingData {
    /// Their bookings, with agendas and nicknames.
    pub bookings: Vec<BookingView>,
    /// The ratings and sharing choices they gave.
    pub feedback: Vec<FeedbackData>,
    /// Their action items.
    pub action_items: Vec<ActionItemData>,
    /// The sessions after which they asked to be put in touch with their
    /// org's support contact, and when.
    pub support_requests: Vec<SupportRequestData>,
    /// What is not included, and why.
    pub not_included: Vec<&'static str>,
}

/// What booking holds about the caller (part of their data export; employees).
#[utoipa::path(get, path = "/api/v1/booking/me/data", tag = "booking", security(("bearer" = [])),
    responses(
        (status = 200, description = "Booking's data about the caller", body = BookingData),
        (status = 403, description = "Not an employee", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<BookingState>,
    caller: Caller,
) -> Result<Json<BookingData>, ApiError> {
    authorize(&caller, Action::ExportOwnData)?;
    let mut conn = state.db.pool().acquire().await?;
    let bookings = store::every_booking_of(&mut conn, caller.user_id).await?;
    let mut feedback = Vec::new();
    let mut support_requests = Vec::new();
    for b in &bookings {
        if let Some(r) = store::support_request(&mut conn, b.id).await? {
            support_requests.push(SupportRequestData {
                booking_id: b.id.to_string(),
                requested_at: time::from_db(r.created_at),
                passed_to: format!("{} <{}>", r.contact_name, r.contact_email),
            });
        }
        if let Some((rating, share_with_org, cohort_consent)) =
            store::feedback_of(&mut conn, b.id).await?
        {
            feedback.push(FeedbackData {
                booking_id: b.id.to_string(),
                rating,
                share_with_org,
                cohort_consent,
            });
        }
    }
    let action_items = store::action_items_of(&mut conn, caller.user_id)
        .await?
        .into_iter()
        .map(|a| ActionItemData {
            booking_id: a.booking_id.to_string(),
            text: a.text,
            done_at: a.done_at.map(time::from_db),
        })
        .collect();
    Ok(Json(BookingData {
        bookings: bookings
            .into_iter()
            .map(|b| view(&state.rooms, b))
            .collect(),
        feedback,
        action_items,
        support_requests,
        not_included: vec![
            "the consultant's private notes: their professional record, encrypted under a key of yours that erasing your account destroys",
        ],
    }))
}

/// Erases what booking holds about an employee, in one transaction.
pub async fn erase_employee(state: &BookingState, employee: UserId) -> anyhow::Result<()> {
    let now = time::now();
    let mut tx = state.db.begin_write().await?;
    let future = store::future_confirmed(&mut tx, employee, true, now).await?;
    // The store's lock order: calendars (ascending), bookings, balances last.
    let consultants: std::collections::BTreeSet<_> =
        future.iter().map(|b| b.consultant_id).collect();
    for consultant in &consultants {
        store::lock_consultant(&mut tx, *consultant).await?;
    }
    let at = time::to_db(now);
    let mut refunds = Vec::new();
    for b in &future {
        if store::transition(
            &mut tx,
            b.id,
            BookingStatus::Confirmed,
            BookingStatus::Cancelled,
            None,
            at,
        )
        .await?
        {
            crate::reminders::unschedule(&mut tx, b.id).await?;
            refunds.push(b);
        }
    }
    for consultant in &consultants {
        crate::booking::announce_availability(&mut tx, *consultant).await?;
    }
    // Their rows (bookings among them) before the balances, which come last.
    store::erase_employee_data(&mut tx, employee)
        .await
        .context("erasing an employee's data")?;
    refunds.sort_by_key(|b| b.org_id);
    for b in refunds {
        store::add_credits(&mut tx, b.org_id, 1, "refund", Some(&b.id.to_string()), at).await?;
    }
    tx.commit().await?;
    state.wakeup.wake();
    Ok(())
}

struct Erasure(BookingState);

impl Consumes<UserErased> for Erasure {
    async fn consume(&self, event: Received<UserErased>) -> anyhow::Result<()> {
        erase_employee(&self.0, event.payload.user_id).await
    }
}

/// Subscribes booking's erasure to the bus.
pub fn subscribe(bus: &dyn Subscriber, state: &BookingState) {
    bus.subscribe_to::<UserErased, _>(
        "booking.erasure",
        Delivery::OneReplica,
        Arc::new(Erasure(state.clone())),
    );
}
