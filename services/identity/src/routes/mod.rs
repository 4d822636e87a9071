//! Identity's handlers, mirroring the URL tree under `/api/v1`.

pub mod auth;
pub mod data;
pub mod invitations;
pub mod me;
pub mod mfa;
pub mod operators;
pub mod orgs;

use shared::error::ApiError;
use shared::ids::UserId;
use sqlx::AnyConnection;

use crate::store::{self, UserRecord};

/// The account a valid token speaks for, unless it was erased or disabled
/// since the token was issued (then 401).
pub(crate) async fn signed_in_user(
    conn: &mut AnyConnection,
    id: UserId,
) -> Result<UserRecord, ApiError> {
    store::find_user(conn, id)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| ApiError::unauthorized("this account no longer exists"))
}
