//! `/api/v1/consultants`: search, profiles, a consultant's own profile, and
//! the operator's approval.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::OrgId;
use shared::time;
use utoipa::ToSchema;

use crate::domain::profile::{ApprovalStatus, ConsultantId, ProfileInput};
use crate::policy::{Action, Viewer, authorize, viewer};
use crate::store::{self, ConsultantRecord};
use crate::{MatchingState, OUTBOX};
use shared::contracts::{ConsultantChanged, ConsultantStanding};

/// A consultant's profile.
#[derive(Serialize, ToSchema)]
pub struct ProfileView {
    /// Id.
    pub id: ConsultantId,
    /// Name.
    pub display_name: String,
    /// One line.
    pub headline: String,
    /// Message to employees.
    pub message: String,
    /// Qualification code.
    pub qualification: String,
    /// Registration number of the qualification.
    pub registration_number: String,
    /// Specialty codes.
    pub specialties: Vec<String>,
    /// Industries.
    pub industries: Vec<String>,
    /// Language codes.
    pub languages: Vec<String>,
    /// Years of experience.
    pub years_experience: u32,
    /// Region code.
    pub region: String,
    /// Gender code, if stated.
    pub gender: Option<String>,
    /// Age band, if stated.
    pub age_band: Option<String>,
    /// Session formats.
    pub session_formats: Vec<String>,
    /// Taking new clients.
    pub accepting_clients: bool,
    /// Approval status.
    pub status: ApprovalStatus,
    /// Next free slot, if known.
    pub next_available_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Affiliated orgs (the consultant and operators only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliated_org_ids: Option<Vec<OrgId>>,
}

fn profile_view(r: &ConsultantRecord, viewer: Viewer) -> ProfileView {
    let p = r.profile.clone();
    ProfileView {
        id: r.id,
        display_name: p.display_name,
        headline: p.headline,
        message: p.message,
        qualification: p.qualification,
        registration_number: p.registration_number,
        specialties: p.specialties,
        industries: p.industries,
        languages: p.languages,
        years_experience: p.years_experience,
        region: p.region,
        gender: p.gender,
        age_band: p.age_band,
        session_formats: p.session_formats,
        accepting_clients: p.accepting_clients,
        status: r.status,
        next_available_at: r
            .next_available_at
            .filter(|_| viewer != Viewer::Public)
            .map(time::from_db),
        affiliated_org_ids: (viewer == Viewer::Private).then_some(p.affiliated_org_ids),
    }
}

/// Announces a consultant's change with their standing, in the caller's
/// transaction.
pub(crate) async fn announce(
    tx: &mut sqlx::AnyConnection,
    record: &ConsultantRecord,
) -> anyhow::Result<()> {
    OUTBOX.publish(&mut *tx, &changed(record)).await?;
    store::mark_standing_announced(tx, record.id, time::to_db(time::now())).await
}

/// The event announcing a consultant's change, with their standing.
fn changed(r: &ConsultantRecord) -> ConsultantChanged {
    ConsultantChanged {
        consultant_id: shared::ids::UserId(r.id.0),
        standing: Some(ConsultantStanding {
            status: r.status,
            affiliated_org_ids: r.profile.affiliated_org_ids.clone(),
            as_of: r.updated_at,
        }),
    }
}

/// A consultant's public profile (pending ones only to themselves and operators).
#[utoipa::path(get, path = "/api/v1/consultants/{id}", tag = "matching", security(("bearer" = [])),
    params(("id" = ConsultantId, Path, description = "Consultant")),
    responses((status = 200, description = "Profile", body = ProfileView), (status = 404, description = "No such consultant", body = ErrorBody)))]
pub async fn profile(
    State(state): State<MatchingState>,
    caller: Caller,
    Path(id): Path<ConsultantId>,
) -> Result<Json<ProfileView>, ApiError> {
    let entry = state.index.get(id).ok_or_else(ApiError::not_found)?;
    authorize(&caller, Action::ReadProfile(&entry.record))?;
    Ok(Json(profile_view(&entry.record, viewer(&caller, id))))
}

/// The signed-in consultant's own profile.
#[utoipa::path(get, path = "/api/v1/consultants/me/profile", tag = "matching", security(("bearer" = [])),
    responses((status = 200, description = "Profile", body = ProfileView), (status = 403, description = "Not a consultant", body = ErrorBody), (status = 404, description = "Not written yet", body = ErrorBody)))]
pub async fn get_own_profile(
    State(state): State<MatchingState>,
    caller: Caller,
) -> Result<Json<ProfileView>, ApiError> {
    authorize(&caller, Action::EditOwnProfile)?;
    let id = ConsultantId(caller.user_id.0);
    let mut conn = state.db.pool().acquire().await?;
    let record = store::find_consultant(&mut conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(profile_view(&record, Viewer::Private)))
}

/// Writes the signed-in consultant's profile. A new profile (or a changed
/// qualification or registration number) waits for an operator's approval.
#[utoipa::path(put, path = "/api/v1/consultants/me/profile", tag = "matching", security(("bearer" = [])),
    request_body = ProfileInput,
    responses(
        (status = 200, description = "Saved", body = ProfileView),
        (status = 403, description = "Consultants only", body = ErrorBody),
        (status = 422, description = "Invalid fields, all listed in details", body = ErrorBody),
    ))]
#[tracing::instrument(name = "matching.put_profile", skip_all)]
pub async fn put_own_profile(
    State(state): State<MatchingState>,
    caller: Caller,
    Json(body): Json<ProfileInput>,
) -> Result<Json<ProfileView>, ApiError> {
    authorize(&caller, Action::EditOwnProfile)?;
    let draft = body.parse().map_err(|errors| {
        let details: serde_json::Map<String, serde_json::Value> = errors
            .into_iter()
            .map(|(f, m)| (f.to_owned(), json!(m)))
            .collect();
        ApiError::unprocessable("invalid_profile", "some fields are not valid")
            .with_details(json!({ "fields": details }))
    })?;
    let id = ConsultantId(caller.user_id.0);
    let mut tx = state.db.begin_write().await?;
    store::upsert_profile(&mut tx, id, &draft, time::to_db(time::now())).await?;
    let record = store::find_consultant(&mut tx, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("profile vanished"))?;
    announce(&mut tx, &record).await?;
    tx.commit().await?;
    index_after_commit(&state, &record).await;
    state.wakeup.wake();
    Ok(Json(profile_view(&record, Viewer::Private)))
}

/// Consultants waiting for approval.
#[derive(Serialize, ToSchema)]
pub struct PendingList {
    /// Oldest first, with qualification and registration number to check.
    pub items: Vec<ProfileView>,
}

/// Consultants waiting for the operator's check (operators only).
#[utoipa::path(get, path = "/api/v1/consultants/pending", tag = "matching", security(("bearer" = [])),
    responses((status = 200, description = "Pending", body = PendingList), (status = 403, description = "Operators only", body = ErrorBody)))]
pub async fn pending(
    State(state): State<MatchingState>,
    caller: Caller,
) -> Result<Json<PendingList>, ApiError> {
    authorize(&caller, Action::ReviewConsultants)?;
    let mut conn = state.db.pool().acquire().await?;
    let items = store::pending_consultants(&mut conn)
        .await?
        .iter()
        .map(|r| profile_view(r, Viewer::Private))
        .collect();
    Ok(Json(PendingList { items }))
}

/// An operator's decision.
#[derive(Deserialize, ToSchema)]
pub struct ApprovalBody {
    /// `approved`, `rejected` or `suspended`.
    pub status: ApprovalStatus,
}

/// Approves, rejects or suspends a consultant (operators only).
#[utoipa::path(post, path = "/api/v1/consultants/{id}/approval", tag = "matching", security(("bearer" = [])),
    params(("id" = ConsultantId, Path, description = "Consultant")),
    request_body = ApprovalBody,
    responses(
        (status = 200, description = "Decided", body = ProfileView),
        (status = 403, description = "Operators only", body = ErrorBody),
        (status = 404, description = "No such consultant", body = ErrorBody),
        (status = 422, description = "Status must be approved, rejected or suspended", body = ErrorBody),
    ))]
#[tracing::instrument(name = "matching.approve", skip_all)]
pub async fn approve(
    State(state): State<MatchingState>,
    caller: Caller,
    Path(id): Path<ConsultantId>,
    Json(body): Json<ApprovalBody>,
) -> Result<Json<ProfileView>, ApiError> {
    authorize(&caller, Action::ReviewConsultants)?;
    if body.status == ApprovalStatus::Pending {
        return Err(ApiError::unprocessable(
            "invalid_status",
            "decide approved, rejected or suspended",
        ));
    }
    let mut tx = state.db.begin_write().await?;
    if !store::set_status(&mut tx, id, body.status, time::to_db(time::now())).await? {
        return Err(ApiError::not_found());
    }
    let record = store::find_consultant(&mut tx, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    announce(&mut tx, &record).await?;
    tx.commit().await?;
    index_after_commit(&state, &record).await;
    state.wakeup.wake();
    tracing::info!(consultant_id = %id, status = body.status.as_str(), "consultant reviewed");
    Ok(Json(profile_view(&record, Viewer::Private)))
}

/// Puts a committed change into this process's indexes. Should the keyword
/// index fail to take it, the answer still stands (the change is committed)
/// and the consultant's `ConsultantChanged` event tries again.
async fn index_after_commit(state: &MatchingState, record: &ConsultantRecord) {
    if let Err(err) = state.index_consultant(record.clone()).await {
        tracing::warn!(consultant_id = %record.id, error = %format!("{err:#}"), "indexing a profile failed; its event will try again");
    }
}
