//! Taiwa's identity service: organisations, people and their roles,
//! sign-in, token issuing and rotation, second factors and HR invitations.

pub mod accept;
pub mod domain;
pub mod enrolment;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod invitation_mail;
pub mod invite;
pub mod onboarding;
pub mod passwords;
pub mod policy;
pub mod recovery;
pub mod revocations;
pub mod routes;
pub mod secrets;
pub mod sessions;
pub mod sign_in;
pub mod store;
pub mod throttle;
pub mod totp;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use shared::auth::TokenKeys;
use shared::db::Db;
use shared::events::{Delivery, Inbox, Outbox, SubscribeTo, Subscriber, Wakeup};
use shared::mail::Mailer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use passwords::PasswordHasher;

/// Identity's migrations (`migrations/identity`).
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/identity");

/// Identity's outbox.
pub const OUTBOX: Outbox = Outbox::new("identity_outbox");

/// Identity's inbox.
pub const INBOX: Inbox = Inbox::new("identity_inbox");

/// Settings identity needs beyond the shared ones.
#[derive(Clone, Debug)]
pub struct IdentitySettings {
    /// Absolute lifetime of a login.
    pub refresh_token_ttl: Duration,
    /// Idle timeout of a login (each refresh token lives this long at most).
    pub session_idle_ttl: Duration,
    /// Lifetime of invitation links.
    pub invitation_ttl: Duration,
    /// Base URL for links in emails.
    pub public_url: String,
}

/// What identity's handlers share.
#[derive(Clone, FromRef)]
pub struct IdentityState {
    /// The database (identity's tables only).
    pub db: Db,
    /// Signs and verifies access tokens.
    pub tokens: Arc<TokenKeys>,
    /// argon2id hashing with a concurrency cap.
    pub hasher: PasswordHasher,
    /// Token and link settings.
    pub settings: Arc<IdentitySettings>,
    /// Wakes the event dispatcher after a commit.
    pub wakeup: Wakeup,
    /// Seals TOTP secrets at rest.
    pub seal: totp::SealKey,
    /// Keys the sign-in throttle's digests.
    pub throttle: throttle::ThrottleKey,
}

/// Identity's routes with their OpenAPI description.
pub fn router(state: IdentityState) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(routes::auth::login))
        .routes(routes!(routes::auth::refresh))
        .routes(routes!(routes::auth::logout))
        .routes(routes!(routes::me::me, routes::data::erase))
        .routes(routes!(routes::mfa::status))
        .routes(routes!(routes::mfa::enrol, routes::mfa::remove))
        .routes(routes!(routes::mfa::confirm))
        .routes(routes!(routes::mfa::renew_recovery_codes))
        .routes(routes!(routes::data::export))
        .routes(routes!(
            routes::invitations::create_invitations,
            routes::invitations::list_invitations
        ))
        .routes(routes!(routes::invitations::preview_invitations))
        .routes(routes!(routes::invitations::accept_invitation))
        .routes(routes!(routes::orgs::list_orgs, routes::orgs::create_org))
        .routes(routes!(routes::operators::issue_enrolment_code))
        .with_state(state)
}

/// Starts identity's consumers: the revocation list (restored from the
/// database first), and the invitation mailer; events of the retired
/// version-1 invitation topic are acknowledged and dropped.
pub async fn start(
    bus: &dyn Subscriber,
    state: &IdentityState,
    mailer: Mailer,
) -> anyhow::Result<()> {
    revocations::restore(state).await?;
    revocations::subscribe(bus, state);
    bus.subscribe(
        invitation_mail::TOPIC_V1,
        "identity.invitation_mailer",
        Arc::new(invitation_mail::RetiredV1),
    );
    bus.subscribe_to::<invitation_mail::InvitationCreated, _>(
        invitation_mail::CONSUMER,
        Delivery::OneReplica,
        invitation_mail::InvitationMailer::arc(
            state.db.clone(),
            mailer,
            state.seal.clone(),
            &state.settings.public_url,
        ),
    );
    Ok(())
}
