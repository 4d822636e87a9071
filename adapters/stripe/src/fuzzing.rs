//! Entry point for `cargo fuzz` (`fuzz/` at the root): the webhook verifier
//! and reader, with the invariants a fuzzer should never break. A unit test
//! runs every seed of `fuzz/seeds/` through it.

use crate::{WebhookRejected, sign, verify_webhook};

const SECRET: &str = "whsec_fuzz";

/// Splits `data` at its first newline into a `Stripe-Signature` header and a
/// body. The header as given must never panic the verifier; the body signed
/// properly must verify, so it is refused, if at all, only as unreadable; and
/// signed with another secret or an hour ago it must be refused.
pub fn webhook(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (header, payload) = text.split_once('\n').unwrap_or(("", &text));
    let _ = verify_webhook(payload, header, SECRET);

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    if let Err(rejected) = verify_webhook(payload, &sign(payload, SECRET, now), SECRET) {
        assert_eq!(rejected, WebhookRejected::BadPayload, "a signed body");
    }
    assert_eq!(
        verify_webhook(payload, &sign(payload, "whsec_other", now), SECRET).err(),
        Some(WebhookRejected::BadSignature),
        "another secret"
    );
    assert_eq!(
        verify_webhook(payload, &sign(payload, SECRET, now - 3600), SECRET).err(),
        Some(WebhookRejected::Stale),
        "an old signature"
    );
}

#[cfg(test)]
mod tests;
