//! Opening a client org: its name (unique), and an invitation for its first
//! HR person, whose address must not have an account yet.

use chrono::Duration;
use shared::auth::Role;
use shared::error::ApiError;
use shared::ids::{OrgId, UserId};
use shared::time;

use crate::domain::{Email, PersonName};
use crate::invite::{Invite, InvitedEntry, send_invitation};
use crate::{IdentityState, store};

/// Opens the org `name` and invites `hr_email` as its HR (access already
/// decided): 422 for a bad name or address, 409 `org_exists` or
/// `already_registered`. Returns the org's id, its name as stored, and the
/// invitation.
#[tracing::instrument(name = "identity.create_org", skip_all)]
pub async fn open_org(
    state: &IdentityState,
    operator: UserId,
    name: &str,
    hr_email: &str,
) -> Result<(OrgId, String, InvitedEntry), ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::unprocessable(
            "invalid_org_name",
            "the name must be 1–100 characters",
        ));
    }
    let email = Email::parse(hr_email)
        .map_err(|m| ApiError::unprocessable("invalid_email", m.to_string()))?;
    let now = time::now();
    let expires =
        now + Duration::from_std(state.settings.invitation_ttl).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin_write().await?;
    if store::find_org_by_name(&mut tx, name).await?.is_some() {
        return Err(ApiError::conflict(
            "org_exists",
            "an org of that name exists",
        ));
    }
    if !store::registered_emails(&mut tx, std::slice::from_ref(&email))
        .await?
        .is_empty()
    {
        return Err(ApiError::conflict(
            "already_registered",
            "that address already has an account",
        ));
    }
    let id = OrgId::new();
    store::insert_org(&mut tx, id, name, time::to_db(now)).await?;
    let invite = Invite {
        org_id: id,
        org_name: name,
        email: &email,
        role: Role::Hr,
        cohort: None,
        name: &PersonName::default(),
        invited_by: operator,
        now,
        expires,
    };
    let invited = send_invitation(state, &mut tx, &invite).await?;
    tx.commit().await?;
    state.wakeup.wake();
    tracing::info!(org_id = %id, "client org created");
    Ok((id, name.to_owned(), invited))
}
