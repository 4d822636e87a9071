//! The outside parts a process is built with: the meeting rooms, Stripe.

use std::sync::Arc;

use secrecy::SecretString;
use shared::config::Config;

/// Each booking's own room, on the configured Jitsi Meet server, keyed by a
/// key derived from the master key (every replica makes the same links).
pub(super) fn rooms(config: &Config, master_secret: &SecretString) -> taiwa_booking::rooms::Rooms {
    let master = taiwa_booking::crypto::MasterKey::from_secret(master_secret);
    taiwa_booking::rooms::Rooms::new(
        Arc::new(taiwa_booking::rooms::JitsiMeet::new(
            &config.meeting_base_url,
        )),
        master.subkey("rooms"),
        &config.public_url,
    )
}

/// The Stripe client when an account is configured.
pub(super) fn stripe_client(config: &Config) -> anyhow::Result<Option<Arc<taiwa_stripe::Stripe>>> {
    use secrecy::ExposeSecret;
    let Some(stripe) = &config.stripe else {
        return Ok(None);
    };
    let client = taiwa_stripe::Stripe::new(
        stripe.secret_key.expose_secret(),
        stripe.webhook_secret.expose_secret(),
        stripe.api_base.as_deref(),
    )?;
    Ok(Some(Arc::new(client)))
}
