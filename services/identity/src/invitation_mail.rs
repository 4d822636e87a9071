//! Sends invitation emails. Invitations are written with an
//! `identity.invitation_created.v1` event in the same transaction; this
//! consumer turns each event into one email, at least once.
//!
//! The event carries the invitation's id, never its link: the link's token
//! is stored sealed (under a key derived from the master key) until this
//! consumer has sent the email, and then forgotten, in the transaction that
//! records the event as handled. From then on only the token's digest is
//! stored anywhere.
//!
//! An address that already has an account (in this org or another) gets a
//! notice instead of a link, so HR's answer never says who has an account.

use std::sync::Arc;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use shared::contracts::{Cohort, ContactChanged, Contract};
use shared::db::Db;
use shared::events::{BoxFuture, Consumes, Event, EventHandler, Received};
use shared::mail::{Mailer, OutgoingMail};

use super::domain::Email;
use super::store::{self, InvitationRecord};
use super::totp::SealKey;
use super::{INBOX, secrets};

/// This consumer's name in the inbox.
pub const CONSUMER: &str = "identity.invitation_mailer.v2";
/// The retired topic, whose events carried the link itself.
pub const TOPIC_V1: &str = "identity.invitation_created.v1";

/// `identity.invitation_created.v2`, identity's own work queue: which
/// invitation to email. No address, no link. (Version 1 carried the whole
/// link and is retired: see [`RetiredV1`].)
#[derive(Debug, Serialize, Deserialize)]
pub struct InvitationCreated {
    /// The invitation.
    pub invitation_id: String,
    /// The inviting org's name.
    pub org_name: String,
}

impl Contract for InvitationCreated {
    const TOPIC: &'static str = "identity.invitation_created.v2";
}

/// The consumer.
pub struct InvitationMailer {
    /// Identity's database (its invitations and inbox).
    pub db: Db,
    /// Outgoing mail.
    pub mailer: Mailer,
    /// Opens the sealed token.
    pub seal: SealKey,
    /// Base URL of the links.
    pub public_url: String,
}

impl InvitationMailer {
    /// Wrapped for subscription.
    pub fn arc(db: Db, mailer: Mailer, seal: SealKey, public_url: &str) -> Arc<Self> {
        Arc::new(Self {
            db,
            mailer,
            seal,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    async fn deliver(&self, event: Received<InvitationCreated>) -> anyhow::Result<()> {
        let created = event.payload;
        let mut tx = self
            .db
            .pool()
            .begin()
            .await
            .context("starting the inbox transaction")?;
        if !INBOX.claim(&mut tx, CONSUMER, event.id).await? {
            return Ok(());
        }
        let Some(invitation) = store::find_invitation(&mut tx, &created.invitation_id).await?
        else {
            tx.commit().await.context("committing the inbox claim")?;
            return Ok(());
        };
        let sealed = store::sealed_token(&mut tx, &invitation.id).await?;
        let email = Email::parse(&invitation.email)
            .map_err(|m| anyhow::anyhow!("stored invitation email: {m}"))?;
        let registered = !store::registered_emails(&mut tx, std::slice::from_ref(&email))
            .await?
            .is_empty();
        if registered {
            update_name_of_member(&mut tx, &invitation, &email).await?;
        }
        let message = match (registered, sealed) {
            (true, _) => Some(already_registered(&invitation, &created.org_name)),
            (false, Some(sealed)) => {
                let token = self.seal.open_text(&sealed)?;
                // A token that is not this invitation's is never sent.
                anyhow::ensure!(
                    store::find_invitation_by_token(&mut tx, &secrets::digest(&token))
                        .await?
                        .is_some_and(|found| found.id == invitation.id),
                    "a sealed invitation token does not match its invitation"
                );
                let url = format!("{}/invitations/accept?token={token}", self.public_url);
                Some(message(&invitation, &created.org_name, &url))
            }
            // Already sent by an earlier delivery that could not record it.
            (false, None) => None,
        };
        if let Some(message) = message {
            self.mailer.send(&message).await?;
        }
        store::forget_sealed_token(&mut tx, &invitation.id).await?;
        tx.commit().await.context("committing the inbox claim")?;
        Ok(())
    }
}

impl Consumes<InvitationCreated> for InvitationMailer {
    async fn consume(&self, event: Received<InvitationCreated>) -> anyhow::Result<()> {
        self.deliver(event).await
    }
}

/// Drains events of the retired version 1, which carried the whole link:
/// their email was sent by the version that wrote them, or HR invites again.
/// They are acknowledged and dropped, never parsed into a message; in the
/// distributed mode the gateway also purges them from NATS.
pub struct RetiredV1;

impl EventHandler for RetiredV1 {
    fn handle<'a>(&'a self, _event: &'a Event) -> BoxFuture<'a> {
        Box::pin(async {
            tracing::warn!(
                "an invitation event of the retired version 1 was dropped; HR can invite again"
            );
            Ok(())
        })
    }
}

/// HR re-inviting one of its own employees with a name and reading (氏名,
/// フリガナ) supplies them for that employee: they are kept, and booking
/// learns them to keep them out of summaries. Nothing in HR's answer
/// differs; a person of another org is never touched.
async fn update_name_of_member(
    tx: &mut sqlx::AnyConnection,
    invitation: &InvitationRecord,
    email: &Email,
) -> anyhow::Result<()> {
    if invitation.name.full_name.is_none() {
        return Ok(());
    }
    let Some(user) = store::find_user_by_email(&mut *tx, email).await? else {
        return Ok(());
    };
    if user.disabled || user.org_id != Some(invitation.org_id) {
        return Ok(());
    }
    store::set_person_name(&mut *tx, user.id, &invitation.name).await?;
    let cohort: Option<Cohort> = store::user_details(&mut *tx, user.id)
        .await?
        .and_then(|(_, c)| c)
        .and_then(|c| serde_json::from_str(&c).ok());
    super::OUTBOX
        .publish(
            tx,
            &ContactChanged {
                user_id: user.id,
                org_id: user.org_id,
                email: user.email,
                display_name: user.display_name,
                cohort,
                full_name: invitation.name.full_name.clone(),
                name_reading: invitation.name.reading.clone(),
            },
        )
        .await?;
    Ok(())
}

fn expiry(inv: &InvitationRecord) -> String {
    shared::time::from_db(inv.expires_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The invitation email, Japanese first, then English.
pub fn message(inv: &InvitationRecord, org_name: &str, url: &str) -> OutgoingMail {
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
        org = org_name,
        expires = expiry(inv),
    );
    OutgoingMail {
        to: inv.email.clone(),
        subject: format!("{org_name} から Taiwa へのご招待 / Your invitation to Taiwa"),
        text,
        attachments: Vec::new(),
    }
}

/// What the owner of an existing account receives instead of a link. It
/// says nothing about where their account is.
fn already_registered(inv: &InvitationRecord, org_name: &str) -> OutgoingMail {
    let text = format!(
        "{org} から Taiwa（対話）への招待がありましたが、このアドレスにはすでに Taiwa のアカウントがあります。\n\
         新しいアカウントは作られません。いつものようにサインインしてください。\n\
         パスワードを忘れた場合や、お心当たりがない場合は、このメールを無視してかまいません。\n\n\
         ---\n\n\
         {org} invited this address to Taiwa, but it already has a Taiwa account, so no new account is made.\n\
         Sign in as usual. If you do not recognise this, you can ignore this email.\n",
        org = org_name,
    );
    OutgoingMail {
        to: inv.email.clone(),
        subject: format!("{org_name} からの Taiwa 招待について / About an invitation to Taiwa"),
        text,
        attachments: Vec::new(),
    }
}
