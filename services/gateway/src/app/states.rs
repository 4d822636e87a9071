//! The state each service is built with, from the process's configuration,
//! database, keys and wake-up signal.

use std::sync::Arc;

use secrecy::SecretString;
use shared::auth::TokenKeys;
use shared::config::Config;
use shared::db::Db;
use shared::events::Wakeup;
use taiwa_identity::passwords::PasswordHasher;
use taiwa_identity::{IdentitySettings, IdentityState};

use super::adapters::{rooms, stripe_client};

/// Identity's state: token lifetimes and links, the sealing and throttle
/// keys derived from the master key.
pub(super) fn identity(
    config: &Config,
    db: &Db,
    tokens: &Arc<TokenKeys>,
    hasher: PasswordHasher,
    wakeup: &Wakeup,
    master_secret: &SecretString,
) -> IdentityState {
    let settings = IdentitySettings {
        refresh_token_ttl: config.refresh_token_ttl,
        session_idle_ttl: config.session_idle_ttl,
        invitation_ttl: config.invitation_ttl,
        public_url: config.public_url.clone(),
    };
    IdentityState {
        db: db.clone(),
        tokens: Arc::clone(tokens),
        hasher,
        settings: Arc::new(settings),
        wakeup: wakeup.clone(),
        seal: taiwa_identity::totp::SealKey::from_master(master_secret),
        throttle: taiwa_identity::throttle::ThrottleKey::from_master(master_secret),
    }
}

/// Booking's state: its rules, the notes' master key, payments and rooms.
pub(super) fn booking(
    config: &Config,
    db: &Db,
    tokens: &Arc<TokenKeys>,
    wakeup: &Wakeup,
    master_secret: &SecretString,
) -> anyhow::Result<taiwa_booking::BookingState> {
    Ok(taiwa_booking::BookingState {
        db: db.clone(),
        tokens: Arc::clone(tokens),
        wakeup: wakeup.clone(),
        settings: taiwa_booking::BookingSettings {
            cancellation_cutoff: config.cancellation_cutoff,
            notes_retention_days: config.notes_retention_days,
            privacy_k: config.report_min_group,
        },
        master: Arc::new(taiwa_booking::crypto::MasterKey::from_secret(master_secret)),
        payments: stripe_client(config)?,
        public_url: config.public_url.trim_end_matches('/').to_owned(),
        rooms: rooms(config, master_secret),
    })
}

/// Reporting's state: the smallest group a cell describes, and its noise key.
pub(super) fn reporting(
    config: &Config,
    db: &Db,
    tokens: &Arc<TokenKeys>,
    master_secret: &SecretString,
) -> taiwa_reporting::ReportingState {
    taiwa_reporting::ReportingState {
        db: db.clone(),
        tokens: Arc::clone(tokens),
        settings: taiwa_reporting::ReportingSettings {
            k: config.report_min_group,
        },
        noise_key: shared::sealed::derive_key(master_secret, "reporting noise"),
    }
}
