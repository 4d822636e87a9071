//! Accepting an invitation (for `POST /api/v1/invitations/accept` and the
//! invitation page), and the cohort sizes identity publishes.

use axum::http::StatusCode;
use serde::Deserialize;
use shared::contracts::{Cohort, CohortSizes, ContactChanged};
use shared::db::is_unique_violation;
use shared::error::ApiError;
use shared::ids::{OrgId, UserId};
use shared::time;
use utoipa::ToSchema;

use crate::domain::{DisplayName, Email, Password};
use crate::sessions::{self, TokenResponse};
use crate::store::{self, NewUser};
use crate::{IdentityState, OUTBOX, secrets};

/// Accepting an invitation.
#[derive(Deserialize, ToSchema)]
pub struct AcceptRequest {
    /// The token from the invitation link.
    pub token: String,
    /// The new password (12–128 characters).
    pub password: String,
    /// Name shown to consultants; a nickname is fine.
    pub display_name: String,
}

/// Accepts an invitation (shared by the API and the invitation page).
#[tracing::instrument(name = "identity.accept_invitation", skip_all)]
pub async fn accept(
    state: &IdentityState,
    body: &AcceptRequest,
) -> Result<TokenResponse, ApiError> {
    let password =
        Password::parse(&body.password).map_err(|m| ApiError::unprocessable("weak_password", m))?;
    let display_name = DisplayName::parse(&body.display_name)
        .map_err(|m| ApiError::unprocessable("invalid_display_name", m))?;
    let invalid = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "invitation_invalid",
            "this invitation link is invalid, used, replaced or expired",
        )
    };
    let token_hash = secrets::digest(body.token.trim());
    let password_hash = state.hasher.hash(&password).await?;

    let now = time::to_db(time::now());
    let mut tx = state.db.begin_write().await?;
    let invitation = store::find_invitation_by_token(&mut tx, &token_hash)
        .await?
        .ok_or_else(invalid)?;
    if !store::mark_invitation_accepted(&mut tx, &invitation.id, now).await? {
        return Err(invalid());
    }
    let email = Email::parse(&invitation.email)
        .map_err(|m| anyhow::anyhow!("stored invitation email: {m}"))?;
    let user = NewUser {
        id: UserId::new(),
        org_id: Some(invitation.org_id),
        email: &email,
        password_hash: &password_hash,
        role: invitation.role,
        display_name: display_name.as_str(),
        created_at: now,
    };
    if let Err(err) = store::insert_user(&mut tx, &user).await {
        return Err(if is_unique_violation(&err) {
            ApiError::conflict(
                "already_registered",
                "this address already has an account; sign in instead",
            )
        } else {
            err.into()
        });
    }
    store::set_cohort(&mut tx, user.id, invitation.cohort.as_deref()).await?;
    store::set_person_name(&mut tx, user.id, &invitation.name).await?;
    let cohort: Option<Cohort> = invitation
        .cohort
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok());
    OUTBOX
        .publish(
            &mut tx,
            &ContactChanged {
                user_id: user.id,
                org_id: Some(invitation.org_id),
                email: email.as_str().to_owned(),
                display_name: display_name.as_str().to_owned(),
                cohort,
                full_name: invitation.name.full_name.clone(),
                name_reading: invitation.name.reading.clone(),
            },
        )
        .await?;
    if invitation.cohort.is_some() {
        publish_cohort_sizes(&mut tx, invitation.org_id, now).await?;
    }
    let record = store::find_user(&mut tx, user.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user vanished"))?;
    let tokens = sessions::issue(
        state,
        &mut tx,
        &record,
        sessions::Login::New {
            second_factor: false,
        },
    )
    .await?;
    tx.commit().await?;
    state.wakeup.wake();
    tracing::info!(user_id = %record.id, org_id = %invitation.org_id, "invitation accepted");
    Ok(tokens)
}

/// Publishes the org's employees per cohort group (`identity.cohort_sizes.v1`,
/// counts only), in the caller's transaction.
pub(crate) async fn publish_cohort_sizes(
    tx: &mut sqlx::AnyConnection,
    org: OrgId,
    now: i64,
) -> anyhow::Result<()> {
    let sizes = cohort_sizes(&store::employee_cohorts(&mut *tx, org).await?);
    OUTBOX
        .publish(
            tx,
            &CohortSizes {
                org_id: org,
                as_of: now,
                dimensions: sizes,
            },
        )
        .await?;
    Ok(())
}

/// Employees per group of each cohort dimension, from their cohorts (JSON).
fn cohort_sizes(
    cohorts: &[String],
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>> {
    let mut sizes: std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>> =
        Default::default();
    for cohort in cohorts {
        let Ok(cohort) = serde_json::from_str::<Cohort>(cohort) else {
            continue;
        };
        for (dimension, group) in [
            ("department", cohort.department),
            ("age_band", cohort.age_band),
        ] {
            if let Some(group) = group {
                *sizes
                    .entry(dimension.to_owned())
                    .or_default()
                    .entry(group)
                    .or_insert(0) += 1;
            }
        }
    }
    sizes
}
