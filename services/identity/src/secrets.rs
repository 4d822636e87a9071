//! Opaque single-use secrets (refresh tokens, invitation tokens): 32 random
//! bytes, URL-safe base64 for the holder, SHA-256 hex in the database.

use base64::Engine;
use sha2::{Digest, Sha256};

/// A fresh secret for the holder.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a secret (or of any key we must not store raw).
pub fn digest(value: &str) -> String {
    let hash = Sha256::digest(value.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
