//! Sends invitation emails. Invitations are written with an
//! `identity.invitation_created.v1` event in the same transaction; this
//! consumer turns each event into one email, at least once.

use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use shared::db::Db;
use shared::events::{BoxFuture, Event, EventHandler};
use shared::mail::{Mailer, OutgoingMail};

use super::INBOX;

/// The event's topic.
pub const TOPIC: &str = "identity.invitation_created.v1";
/// This consumer's name in the inbox.
pub const CONSUMER: &str = "identity.invitation_mailer";

/// The event's payload. The link holds the single-use token; published
/// events are pruned from the outbox after a week, when the link has expired.
#[derive(Debug, Serialize, Deserialize)]
pub struct InvitationCreated {
    /// The invited address.
    pub email: String,
    /// The inviting org's name.
    pub org_name: String,
    /// Where to accept.
    pub accept_url: String,
    /// When the link stops working (RFC 3339).
    pub expires_at: String,
}

/// The consumer.
pub struct InvitationMailer {
    /// Identity's database (for its inbox).
    pub db: Db,
    /// Outgoing mail.
    pub mailer: Mailer,
}

impl InvitationMailer {
    /// Wrapped for subscription.
    pub fn arc(db: Db, mailer: Mailer) -> Arc<Self> {
        Arc::new(Self { db, mailer })
    }

    async fn deliver(&self, event: &Event) -> anyhow::Result<()> {
        let invitation: InvitationCreated =
            serde_json::from_value(event.payload.clone()).context("invitation payload")?;
        let mut tx = self
            .db
            .pool()
            .begin()
            .await
            .context("starting the inbox transaction")?;
        if !INBOX.claim(&mut tx, CONSUMER, event).await? {
            return Ok(());
        }
        self.mailer.send(&message(&invitation)).await?;
        tx.commit().await.context("committing the inbox claim")?;
        Ok(())
    }
}

impl EventHandler for InvitationMailer {
    fn handle<'a>(&'a self, event: &'a Event) -> BoxFuture<'a> {
        Box::pin(self.deliver(event))
    }
}

/// The invitation email, Japanese first, then English.
pub fn message(inv: &InvitationCreated) -> OutgoingMail {
    let text = format!(
        "{org} から Taiwa（対話）へのご招待です。\n\
         Taiwa では、社外の国家資格キャリアコンサルタントと秘密が守られた 1on1 を予約できます。\n\
         会社があなたの相談内容や予約を知ることはありません。\n\n\
         次のリンクからパスワードを設定してください（{expires} まで有効、1 回限り）:\n{url}\n\n\
         ---\n\n\
         {org} has invited you to Taiwa.\n\
         Taiwa lets you book confidential one-on-one sessions with external, nationally certified career consultants.\n\
         Your company never learns whom you booked or what you said.\n\n\
         Set your password here (valid once, until {expires}):\n{url}\n",
        org = inv.org_name,
        url = inv.accept_url,
        expires = inv.expires_at,
    );
    OutgoingMail {
        to: inv.email.clone(),
        subject: format!(
            "{} から Taiwa へのご招待 / Your invitation to Taiwa",
            inv.org_name
        ),
        text,
        attachments: Vec::new(),
    }
}
