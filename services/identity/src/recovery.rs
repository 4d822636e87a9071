//! Recovery codes: ten one-time codes, shown once when two-step sign-in is
//! turned on (or when the person asks for a new set), each good once in
//! place of the authenticator's code — at sign-in, and to turn the second
//! factor off after losing the phone. Only their SHA-256 digests are kept,
//! salted with the account's id so that one code's digest says nothing about
//! another account's; a new set replaces the old one, and turning the
//! second factor off (or erasing the account) removes them.

use shared::ids::UserId;
use sqlx::AnyConnection;

use crate::secrets;
use crate::store::mfa as mfa_store;

/// How many codes a set holds.
pub const SET_SIZE: usize = 10;

/// The stored form of a code, for this account.
pub fn digest(user: UserId, code: &str) -> String {
    secrets::digest(&format!(
        "recovery:{user}:{}",
        secrets::normalise_code(code)
    ))
}

/// Whether `code` as typed has a recovery code's shape (not a TOTP code's).
pub fn looks_like_one(code: &str) -> bool {
    secrets::is_typed_code(&secrets::normalise_code(code))
}

/// Makes a new set for `user`, replacing any earlier one, and returns the
/// codes to show (once).
pub async fn issue_set(conn: &mut AnyConnection, user: UserId) -> sqlx::Result<Vec<String>> {
    let codes: Vec<String> = (0..SET_SIZE).map(|_| secrets::typed_code()).collect();
    let digests: Vec<String> = codes.iter().map(|c| digest(user, c)).collect();
    mfa_store::replace_recovery_codes(conn, user, &digests).await?;
    Ok(codes)
}

/// Uses up `code` if it is one of `user`'s: `false` if it is not (or was
/// used already).
pub async fn use_code(conn: &mut AnyConnection, user: UserId, code: &str) -> sqlx::Result<bool> {
    mfa_store::use_recovery_code(conn, user, &digest(user, code)).await
}

#[cfg(test)]
mod tests;
