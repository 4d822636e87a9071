//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1,
//! 30-second steps, 6 digits — what every authenticator app reads from an
//! `otpauth://` URI. A code is accepted one step either side of now, and each
//! step at most once per account (a replayed code is refused).
//!
//! Secrets are 20 random bytes (RFC 4226's recommended 160 bits), shown to the
//! person once in base32 and stored sealed (AES-256-GCM) under a key derived
//! from the master key, so a copy of the database alone yields no secrets.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Steps accepted either side of now (clock drift).
pub const DRIFT_STEPS: i64 = 1;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A TOTP secret. It never prints.
#[derive(Clone)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

impl TotpSecret {
    /// A fresh random secret.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; 20];
        rand::fill(bytes.as_mut_slice());
        Self(bytes)
    }

    /// Reads a base32 secret (case, spaces and padding ignored).
    pub fn from_base32(text: &str) -> Option<Self> {
        let mut bits: u64 = 0;
        let mut count = 0u32;
        let mut out = Vec::new();
        for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let value = BASE32
                .iter()
                .position(|b| char::from(*b) == c.to_ascii_uppercase())?;
            bits = (bits << 5) | value as u64;
            count += 5;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
                bits &= (1 << count) - 1;
            }
        }
        (!out.is_empty()).then_some(Self(out))
    }

    /// The secret in base32 without padding, as authenticator apps take it.
    pub fn to_base32(&self) -> String {
        let mut out = String::new();
        let mut bits: u64 = 0;
        let mut count = 0u32;
        for byte in &self.0 {
            bits = (bits << 8) | u64::from(*byte);
            count += 8;
            while count >= 5 {
                count -= 5;
                out.push(char::from(BASE32[((bits >> count) & 31) as usize]));
            }
            bits &= (1 << count) - 1;
        }
        if count > 0 {
            out.push(char::from(BASE32[((bits << (5 - count)) & 31) as usize]));
        }
        out
    }

    /// The `otpauth://` URI an authenticator app (or a QR code) takes.
    pub fn uri(&self, account: &str) -> String {
        format!(
            "otpauth://totp/Taiwa:{}?secret={}&issuer=Taiwa&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
            percent_encode(account),
            self.to_base32()
        )
    }

    /// The code for step `step` (HOTP with the step as counter).
    pub fn code_for_step(&self, step: i64) -> u32 {
        #[expect(
            clippy::expect_used,
            reason = "HMAC-SHA1 accepts keys of any length; new_from_slice cannot fail"
        )]
        let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(&self.0).expect("any key length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[digest.len() - 1] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        binary % 10u32.pow(DIGITS)
    }

    /// The code at Unix time `unix_secs`, zero-padded.
    pub fn code_at(&self, unix_secs: i64) -> String {
        format!(
            "{:0width$}",
            self.code_for_step(unix_secs.div_euclid(STEP_SECS)),
            width = DIGITS as usize
        )
    }

    /// The step `code` belongs to, if it matches within the drift window
    /// around `unix_secs` and is newer than `last_used_step`.
    pub fn verify(&self, code: &str, unix_secs: i64, last_used_step: Option<i64>) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let wanted: u32 = code.parse().ok()?;
        let now = unix_secs.div_euclid(STEP_SECS);
        (now - DRIFT_STEPS..=now + DRIFT_STEPS)
            .filter(|step| last_used_step.is_none_or(|last| *step > last))
            .find(|step| self.code_for_step(*step) == wanted)
    }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The key TOTP secrets are sealed with, derived from the master key.
#[derive(Clone)]
pub struct SealKey([u8; 32]);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(…)")
    }
}

impl SealKey {
    /// The identity's sealing key for `master` (domain-separated from the
    /// keys booking derives from the same secret).
    pub fn from_master(master: &SecretString) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"taiwa identity totp seal v1\0");
        hash.update(master.expose_secret().as_bytes());
        Self(hash.finalize().into())
    }

    /// Seals a secret for storage.
    pub fn seal(&self, secret: &TotpSecret) -> anyhow::Result<String> {
        shared::sealed::seal_text(&self.0, &secret.to_base32())
    }

    /// Seals any short secret text (an invitation link's token, until its
    /// email is sent).
    pub fn seal_text(&self, text: &str) -> anyhow::Result<String> {
        shared::sealed::seal_text(&self.0, text)
    }

    /// Opens what [`SealKey::seal_text`] stored.
    pub fn open_text(&self, stored: &str) -> anyhow::Result<String> {
        shared::sealed::open_text(&self.0, stored)
    }

    /// Opens a stored secret.
    pub fn open(&self, stored: &str) -> anyhow::Result<TotpSecret> {
        let text = shared::sealed::open_text(&self.0, stored)?;
        TotpSecret::from_base32(&text)
            .ok_or_else(|| anyhow::anyhow!("a stored TOTP secret is not base32"))
    }
}

#[cfg(test)]
mod tests;
