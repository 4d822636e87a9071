//! Private notes are encrypted at rest with AES-256-GCM under a data key per
//! employee; each data key is stored wrapped (AES-256-GCM) by the master key
//! from configuration. Deleting an employee's wrapped key makes every note
//! about them unreadable (crypto-shredding).
//!
//! The same master key, through HMAC, also derives the per-period keys of the
//! pseudonyms in the hand-off to reporting: a new key each quarter (the
//! period reports are released for), so quarters cannot be linked, and no one without the master key can link a pseudonym
//! to a person.

use anyhow::Context;
use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use shared::sealed::{open, open_text, seal, seal_text};

/// The master key, derived from the configured secret.
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> anyhow::Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .context("stored ciphertext is not base64")
}

impl MasterKey {
    /// The key from a configured secret (SHA-256 of it).
    pub fn from_secret(secret: &SecretString) -> Self {
        Self(Sha256::digest(secret.expose_secret().as_bytes()).into())
    }

    /// A fresh data key, returned raw and wrapped (for storage).
    pub fn new_data_key(&self) -> anyhow::Result<([u8; 32], String)> {
        let mut key = [0u8; 32];
        rand::fill(&mut key);
        Ok((key, b64(&seal(&self.0, &key)?)))
    }

    /// Unwraps a stored data key.
    pub fn unwrap_data_key(&self, wrapped: &str) -> anyhow::Result<[u8; 32]> {
        let raw = open(&self.0, &unb64(wrapped)?)?;
        raw.try_into()
            .map_err(|_| anyhow::anyhow!("a data key has the wrong length"))
    }

    /// A key for one purpose (e.g. `rooms`), derived from the master key.
    #[expect(clippy::expect_used, reason = "HMAC-SHA256 takes a key of any length")]
    pub fn subkey(&self, purpose: &str) -> [u8; 32] {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"subkey/");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A pseudonym for `subject` within `scope` (e.g. org and month): the
    /// same inputs give the same value; nothing else can be learnt from it.
    #[expect(
        clippy::expect_used,
        reason = "HMAC-SHA256 accepts keys of any length; new_from_slice cannot fail"
    )]
    pub fn pseudonym(&self, scope: &str, subject: &str) -> String {
        let mut period =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        period.update(scope.as_bytes());
        let period_key = period.finalize().into_bytes();
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&period_key).expect("HMAC takes any key length");
        mac.update(subject.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Encrypts text under a data key (base64 of nonce ‖ ciphertext ‖ tag).
pub fn encrypt(data_key: &[u8; 32], text: &str) -> anyhow::Result<String> {
    seal_text(data_key, text)
}

/// Decrypts what [`encrypt`] made.
pub fn decrypt(data_key: &[u8; 32], stored: &str) -> anyhow::Result<String> {
    open_text(data_key, stored)
}

#[cfg(test)]
mod tests;
