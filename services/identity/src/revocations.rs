//! Access tokens that stop working before they expire. An erased person's
//! tokens, and a suspended consultant's, are refused at once — not after
//! their 15 minutes — by every service of this process (they share the
//! token keys) and, in the distributed mode, by every gateway (which every
//! request passes) through identity's and matching's events. A restarted
//! process restores what it must refuse from identity's tables.

use std::sync::Arc;

use anyhow::Context;
use shared::contracts::{ApprovalStatus, ConsultantChanged, UserErased};
use shared::events::{Consumes, Delivery, Received, SubscribeTo, Subscriber};
use shared::time;

use super::{IdentityState, store};

/// Refuses, again, the tokens of everyone whose sign-in ended within the
/// lifetime of a token.
pub async fn restore(state: &IdentityState) -> anyhow::Result<()> {
    let window = i64::try_from(state.tokens.revocation_window().as_millis())?;
    let since = time::to_db(time::now()) - window;
    let mut conn = state
        .db
        .pool()
        .acquire()
        .await
        .context("restoring revoked sign-ins")?;
    for (user, at) in store::sign_ins_ended_since(&mut conn, since).await? {
        state.tokens.revoke(user, at.div_euclid(1000));
    }
    Ok(())
}

/// An erasure, seen by every gateway.
struct Erased(IdentityState);

impl Consumes<UserErased> for Erased {
    async fn consume(&self, event: Received<UserErased>) -> anyhow::Result<()> {
        self.0
            .tokens
            .revoke(event.payload.user_id, event.occurred_at.timestamp());
        Ok(())
    }
}

/// A consultant's standing, seen by every gateway: suspension ends their
/// sign-ins and lets them sign in only to a notice; reinstatement lifts it.
struct Standing(IdentityState);

impl Consumes<ConsultantChanged> for Standing {
    async fn consume(&self, event: Received<ConsultantChanged>) -> anyhow::Result<()> {
        let e = event.payload;
        let Some(standing) = e.standing else {
            return Ok(());
        };
        let suspended = standing.status == ApprovalStatus::Suspended;
        let at = event.occurred_at;
        // The same update from every replica is harmless; an older decision
        // redelivered late changes nothing.
        let mut conn = self.0.db.pool().acquire().await?;
        let applied = store::set_suspended(
            &mut conn,
            e.consultant_id,
            suspended.then(|| time::to_db(at)),
            standing.as_of,
        )
        .await?;
        if applied && suspended {
            self.0.tokens.revoke(e.consultant_id, at.timestamp());
        }
        Ok(())
    }
}

/// Subscribes every gateway to erasures and consultants' standing.
pub fn subscribe(bus: &dyn Subscriber, state: &IdentityState) {
    bus.subscribe_to::<UserErased, _>(
        "identity.revocations",
        Delivery::EveryReplica,
        Arc::new(Erased(state.clone())),
    );
    bus.subscribe_to::<ConsultantChanged, _>(
        "identity.standing",
        Delivery::EveryReplica,
        Arc::new(Standing(state.clone())),
    );
}
