//! Who may book a consultant: their standing from matching
//! (`matching.consultant_changed.v1`: approval, and the client orgs they are
//! tied to). Every path that shows or takes a consultant's time — slots,
//! booking, moving, follow-ups — asks [`open_to`]; a consultant who is not
//! approved, or is tied to the caller's org, does not exist for them (404).
//! A suspended or rejected consultant's future sessions are cancelled, and
//! so are a consultant's future sessions with employees of an org they have
//! become tied to; the credits go back, and both participants are told.
//! Standings carry when matching decided them: an older one, redelivered
//! late, is ignored.

use std::sync::Arc;

use shared::auth::Caller;
use shared::contracts::{ApprovalStatus, ConsultantChanged};
use shared::error::ApiError;
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};
use shared::ids::UserId;
use shared::time;
use sqlx::AnyConnection;

use crate::domain::booking::BookingStatus;
use crate::notify::{self, Kind};
use crate::policy::{Action, authorize};
use crate::{BookingState, INBOX, store};

/// Whether `caller` may see and take `consultant`'s time (the policy's
/// [`Action::UseCalendarOf`], with the standing read now): otherwise 404,
/// exactly as for a consultant who does not exist.
pub async fn open_to(
    conn: &mut AnyConnection,
    caller: &Caller,
    consultant: UserId,
) -> Result<(), ApiError> {
    let standing = store::standing(conn, consultant).await?;
    authorize(
        caller,
        Action::UseCalendarOf {
            consultant,
            standing: standing.as_ref(),
        },
    )
}

/// Cancels the consultant's future sessions that `cancel` picks: each
/// credit goes back to its org, reminders are dropped, and both participants
/// are emailed (`why`).
async fn cancel_future_sessions(
    conn: &mut AnyConnection,
    consultant: UserId,
    cancel: impl Fn(&crate::store::BookingRecord) -> bool,
    why: Kind,
) -> anyhow::Result<usize> {
    let now = time::now();
    let at = time::to_db(now);
    // The store's lock order: the caller holds this consultant's calendar
    // row (it saved the standing); bookings and availability next, the
    // orgs' balances last, in ascending org id.
    let mut refunds = Vec::new();
    for b in store::future_confirmed(&mut *conn, consultant, false, now).await? {
        if !cancel(&b) {
            continue;
        }
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
            crate::reminders::unschedule(&mut *conn, b.id).await?;
            notify::enqueue(&mut *conn, b.id, why).await?;
            refunds.push(b);
        }
    }
    if refunds.is_empty() {
        return Ok(0);
    }
    crate::booking::announce_availability(&mut *conn, consultant).await?;
    refunds.sort_by_key(|b| b.org_id);
    for b in &refunds {
        store::add_credits(
            &mut *conn,
            b.org_id,
            1,
            "refund",
            Some(&b.id.to_string()),
            at,
        )
        .await?;
    }
    Ok(refunds.len())
}

struct Standing(BookingState);

impl Consumes<ConsultantChanged> for Standing {
    async fn consume(&self, event: Received<ConsultantChanged>) -> anyhow::Result<()> {
        let e = event.payload;
        let Some(standing) = e.standing else {
            return Ok(());
        };
        let mut tx = self.0.db.begin_write().await?;
        let fresh = INBOX.claim(&mut tx, "booking.standing", event.id).await?
            && store::save_standing(
                &mut tx,
                e.consultant_id,
                &standing,
                time::to_db(time::now()),
            )
            .await?;
        if fresh {
            let n = if matches!(
                standing.status,
                ApprovalStatus::Suspended | ApprovalStatus::Rejected
            ) {
                cancel_future_sessions(&mut tx, e.consultant_id, |_| true, Kind::Withdrawn).await?
            } else {
                // Tied to an org now: its employees' sessions cannot stay.
                let tied = &standing.affiliated_org_ids;
                cancel_future_sessions(
                    &mut tx,
                    e.consultant_id,
                    |b| tied.contains(&b.org_id),
                    Kind::Unavailable,
                )
                .await?
            };
            if n > 0 {
                tracing::info!(consultant_id = %e.consultant_id, cancelled = n, "sessions the consultant can no longer hold were cancelled");
            }
        }
        tx.commit().await?;
        self.0.wakeup.wake();
        Ok(())
    }
}

/// Subscribes booking to consultants' standing.
pub fn subscribe(bus: &dyn Subscriber, state: &BookingState) {
    bus.subscribe_to::<ConsultantChanged, _>(
        "booking.standing",
        Delivery::OneReplica,
        Arc::new(Standing(state.clone())),
    );
}
