//! Authenticated encryption at rest: AES-256-GCM with a random 96-bit nonce,
//! stored as base64 of nonce ‖ ciphertext ‖ tag. Booking seals private notes
//! and their data keys with it; identity seals TOTP secrets.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::Context;
use base64::Engine;

const NONCE: usize = 12;

fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key))
}

/// Encrypts `plaintext` under `key` (nonce ‖ ciphertext ‖ tag).
pub fn seal(key: &[u8; 32], plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE];
    rand::fill(&mut nonce);
    let sealed = cipher(key)
        .encrypt(&Nonce::from(nonce), plaintext)
        .map_err(|_| anyhow::anyhow!("encryption failed"))?;
    Ok([nonce.as_slice(), &sealed].concat())
}

/// Decrypts what [`seal`] made; fails on a wrong key or any tampering.
pub fn open(key: &[u8; 32], sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
    anyhow::ensure!(sealed.len() > NONCE, "ciphertext too short");
    let (nonce, body) = sealed.split_at(NONCE);
    let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| anyhow::anyhow!("bad nonce"))?;
    cipher(key)
        .decrypt(&Nonce::from(nonce), body)
        .map_err(|_| anyhow::anyhow!("decryption failed (wrong key or tampered)"))
}

/// A 256-bit key for one purpose, derived from a configured secret (the
/// master key): SHA-256 of a purpose label and the secret, so keys of
/// different purposes are unrelated.
pub fn derive_key(secret: &secrecy::SecretString, purpose: &str) -> [u8; 32] {
    use secrecy::ExposeSecret;
    use sha2::Digest;
    let mut hash = sha2::Sha256::new();
    hash.update(b"taiwa derived key v1\0");
    hash.update(purpose.as_bytes());
    hash.update(b"\0");
    hash.update(secret.expose_secret().as_bytes());
    hash.finalize().into()
}

/// [`seal`] as base64 text, for a TEXT column.
pub fn seal_text(key: &[u8; 32], text: &str) -> anyhow::Result<String> {
    Ok(base64::engine::general_purpose::STANDARD.encode(seal(key, text.as_bytes())?))
}

/// Reads what [`seal_text`] stored.
pub fn open_text(key: &[u8; 32], stored: &str) -> anyhow::Result<String> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(stored)
        .context("stored ciphertext is not base64")?;
    String::from_utf8(open(key, &raw)?).context("sealed text is not UTF-8")
}

#[cfg(test)]
mod tests;
