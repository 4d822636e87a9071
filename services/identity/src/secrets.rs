//! Opaque single-use secrets (refresh tokens, invitation tokens): 32 random
//! bytes, URL-safe base64 for the holder, SHA-256 hex in the database. And
//! codes people type (enrolment and recovery codes): ten characters from an
//! alphabet without look-alikes (about 49 bits), shown as `XXXXX-XXXXX`.

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

/// Letters and digits that cannot be mistaken for each other.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A fresh code to type, `XXXXX-XXXXX`.
pub fn typed_code() -> String {
    let letters: String = (0..10)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect();
    format!("{}-{}", &letters[..5], &letters[5..])
}

/// A code as typed, normalised: upper case, no dashes or spaces.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{2010}'..='\u{2015}'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether a typed code has the shape of [`typed_code`]'s (after
/// [`normalise_code`]): ten characters of its alphabet.
pub fn is_typed_code(normalised: &str) -> bool {
    normalised.len() == 10 && normalised.bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests;
