//! Who may book a consultant: their standing from matching
//! (`matching.consultant_changed.v1`: approval, and the client orgs they are
//! tied to). Every path that shows or takes a consultant's time — slots,
//! booking, moving, follow-ups — asks [`open_to`]; a consultant who is not
//! approved, or is tied to the caller's org, does not exist for them (404).
//! A suspended or rejected consultant's future sessions are cancelled, the
//! credits go back, and both participants are told.

use std::sync::Arc;

use anyhow::Context;
use shared::auth::{Caller, Role};
use shared::contracts::{ApprovalStatus, ConsultantChanged, Contract};
use shared::error::ApiError;
use shared::events::{BoxFuture, Event, EventHandler, Subscriber};
use shared::ids::UserId;
use shared::time;
use sqlx::AnyConnection;

use crate::domain::booking::BookingStatus;
use crate::notify::{self, Kind};
use crate::{BookingState, INBOX, store};

/// Whether `caller` may see and take `consultant`'s time: employees only a
/// consultant who is approved and not tied to their org; a consultant their
/// own calendar or an approved colleague's; operators anyone's. Otherwise
/// 404, exactly as for a consultant who does not exist.
pub async fn open_to(
    conn: &mut AnyConnection,
    caller: &Caller,
    consultant: UserId,
) -> Result<(), ApiError> {
    if caller.role == Role::Operator || caller.user_id == consultant {
        return Ok(());
    }
    let standing = store::standing(conn, consultant).await?;
    let org = (caller.role == Role::Employee)
        .then_some(caller.org_id)
        .flatten();
    if standing.is_some_and(|s| s.open_to(org)) {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// Cancels a withdrawn consultant's future sessions: each credit goes back
/// to its org, reminders are dropped, and both participants are emailed.
async fn cancel_future_sessions(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<usize> {
    let now = time::now();
    let at = time::to_db(now);
    let mut cancelled = 0;
    for b in store::future_confirmed_of_consultant(&mut *conn, consultant, now).await? {
        if store::transition(
            &mut *conn,
            b.id,
            BookingStatus::Confirmed,
            BookingStatus::Cancelled,
            None,
            at,
        )
        .await?
        {
            store::add_credits(
                &mut *conn,
                b.org_id,
                1,
                "refund",
                Some(&b.id.to_string()),
                at,
            )
            .await?;
            crate::reminders::unschedule(&mut *conn, b.id).await?;
            notify::enqueue(&mut *conn, b.id, Kind::Withdrawn).await?;
            cancelled += 1;
        }
    }
    if cancelled > 0 {
        crate::events::enqueue_availability(conn, consultant).await?;
    }
    Ok(cancelled)
}

struct Standing(BookingState);

impl Standing {
    async fn apply(&self, event: &Event) -> anyhow::Result<()> {
        let e: ConsultantChanged =
            serde_json::from_value(event.payload.clone()).context("payload")?;
        let Some(standing) = e.standing else {
            return Ok(());
        };
        let mut tx = self.0.db.begin_write().await?;
        if INBOX.claim(&mut tx, "booking.standing", event).await? {
            store::save_standing(
                &mut tx,
                e.consultant_id,
                &standing,
                time::to_db(time::now()),
            )
            .await?;
            if matches!(
                standing.status,
                ApprovalStatus::Suspended | ApprovalStatus::Rejected
            ) {
                let n = cancel_future_sessions(&mut tx, e.consultant_id).await?;
                if n > 0 {
                    tracing::info!(consultant_id = %e.consultant_id, cancelled = n, "a withdrawn consultant's sessions were cancelled");
                }
            }
        }
        tx.commit().await?;
        self.0.wakeup.wake();
        Ok(())
    }
}

impl EventHandler for Standing {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.apply(event))
    }
}

/// Subscribes booking to consultants' standing.
pub fn subscribe(bus: &dyn Subscriber, state: &BookingState) {
    bus.subscribe(
        ConsultantChanged::TOPIC,
        "booking.standing",
        Arc::new(Standing(state.clone())),
    );
}
