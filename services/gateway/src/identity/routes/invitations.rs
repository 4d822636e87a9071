//! `/api/v1/orgs/{org_id}/invitations` (HR) and `/api/v1/invitations/accept`.

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::auth::{Caller, Role};
use shared::db::is_unique_violation;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path};
use shared::ids::{OrgId, UserId};
use shared::time;
use utoipa::ToSchema;

use crate::identity::domain::{Cohort, DisplayName, Email, Password, PersonName};
use crate::identity::invitation_mail::{self, InvitationCreated};
use crate::identity::policy::{Action, authorize};
use crate::identity::sessions::{self, TokenResponse};
use crate::identity::store::{self, NewInvitation, NewUser};
use crate::identity::{IdentityState, OUTBOX, secrets};

/// Topic: a person's address, name or cohort is new or changed (booking emails
/// them, keeps names out of shared summaries, and passes the cohort on when
/// the employee consents).
pub const CONTACT_CHANGED: &str = "identity.contact_changed.v1";

/// Topic: how many employees an org has in each cohort group (reporting
/// lists only groups of at least 50). No person is named.
pub const COHORT_SIZES: &str = "identity.cohort_sizes.v1";

/// Most addresses one request may invite.
pub const MAX_INVITATIONS_PER_REQUEST: usize = 5000;

/// Whom to invite: `emails`, or `people` with cohort attributes (or send
/// `text/csv` with an `email` column and optional `department` and
/// `age_band` columns).
#[derive(Deserialize, ToSchema)]
pub struct InviteRequest {
    /// Email addresses.
    #[serde(default)]
    pub emails: Vec<String>,
    /// People with their cohort attributes.
    #[serde(default)]
    pub people: Vec<Invitee>,
}

/// One person to invite, with the cohort attributes reports may group by
/// (only for sessions whose employee consents), and optionally their name
/// and its reading, which booking keeps out of organisational summaries.
#[derive(Deserialize, ToSchema)]
pub struct Invitee {
    /// Address.
    pub email: String,
    /// Full name (氏名), 1–60 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// Its reading (フリガナ), katakana or hiragana.
    #[serde(default)]
    pub name_reading: Option<String>,
    /// Department or division (1–60 characters).
    #[serde(default)]
    pub department: Option<String>,
    /// `under_30`, `30s`, `40s`, `50s` or `60_plus`.
    #[serde(default)]
    pub age_band: Option<String>,
}

/// One row of a request, numbered from 1.
pub(crate) struct Row {
    pub(crate) row: usize,
    pub(crate) email: String,
    pub(crate) department: Option<String>,
    pub(crate) age_band: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) reading: Option<String>,
}

impl Row {
    fn plain(row: usize, email: String) -> Self {
        Self {
            row,
            email,
            department: None,
            age_band: None,
            name: None,
            reading: None,
        }
    }
}

/// One invitation sent.
#[derive(Serialize, ToSchema)]
pub struct InvitedEntry {
    /// Address.
    pub email: String,
    /// When the link stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// One address not invited, and why.
#[derive(Serialize, ToSchema)]
pub struct SkippedEntry {
    /// Address.
    pub email: String,
    /// `duplicate_in_request`. (An address that already has an account,
    /// here or in another organisation, is answered exactly like a new one:
    /// its owner gets an email instead of a link.)
    pub reason: &'static str,
}

/// What an invitation request did.
#[derive(Serialize, ToSchema)]
pub struct InviteResponse {
    /// Invitations created (a newer one replaces an older pending link).
    pub invited: Vec<InvitedEntry>,
    /// Addresses skipped.
    pub skipped: Vec<SkippedEntry>,
}

/// One row that could not be read; nothing is sent while any row is wrong.
#[derive(Serialize)]
struct RowError {
    row: usize,
    value: String,
    message: String,
}

/// Reads the rows from JSON or CSV, each with its row number.
pub(crate) fn rows(headers: &HeaderMap, body: &Bytes) -> Result<Vec<Row>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") {
        let request: InviteRequest = serde_json::from_slice(body).map_err(|e| {
            if e.is_syntax() || e.is_eof() {
                ApiError::bad_request("malformed_json", "the request body is not valid JSON")
            } else {
                ApiError::unprocessable(
                    "invalid_body",
                    format!("expected {{\"emails\": [\"…\"]}} or {{\"people\": [{{\"email\": \"…\"}}]}}: {e}"),
                )
            }
        })?;
        let plain = request.emails.into_iter().map(|e| Row::plain(0, e));
        let people = request.people.into_iter().map(|p| Row {
            row: 0,
            email: p.email,
            department: p.department,
            age_band: p.age_band,
            name: p.name,
            reading: p.name_reading,
        });
        return Ok(plain
            .chain(people)
            .enumerate()
            .map(|(i, row)| Row { row: i + 1, ..row })
            .collect());
    }
    if content_type.starts_with("text/csv") {
        return csv_rows(body);
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "send application/json {\"emails\": […]} or text/csv with an email column",
    ))
}

/// Which column holds what, from a header row.
struct Columns {
    email: usize,
    department: Option<usize>,
    age_band: Option<usize>,
    name: Option<usize>,
    reading: Option<usize>,
}

impl Columns {
    fn from_header(record: &csv::StringRecord) -> Option<Self> {
        let find = |names: &[&str]| {
            record
                .iter()
                .position(|f| names.contains(&f.trim().to_lowercase().as_str()))
        };
        Some(Self {
            email: find(&["email", "e-mail", "メール", "メールアドレス"])?,
            department: find(&["department", "部署", "部門", "所属"]),
            age_band: find(&["age_band", "age band", "年代"]),
            name: find(&[
                "name",
                "full_name",
                "full name",
                "氏名",
                "名前",
                "氏名（漢字）",
            ]),
            reading: find(&[
                "name_reading",
                "reading",
                "フリガナ",
                "ふりがな",
                "カナ",
                "氏名（カナ）",
                "氏名(カナ)",
            ]),
        })
    }
}

fn csv_rows(body: &Bytes) -> Result<Vec<Row>, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::unprocessable("invalid_csv", "the CSV file must be UTF-8"))?;
    let text = text.trim_start_matches('\u{feff}'); // Excel's byte-order mark
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut columns = Columns {
        email: 0,
        department: None,
        age_band: None,
        name: None,
        reading: None,
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record
            .map_err(|e| ApiError::unprocessable("invalid_csv", format!("row {}: {e}", i + 1)))?;
        if i == 0
            && let Some(found) = Columns::from_header(&record)
        {
            columns = found;
            continue;
        }
        let cell = |index: Option<usize>| {
            index
                .and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let Some(email) = cell(Some(columns.email)) else {
            continue;
        };
        out.push(Row {
            department: cell(columns.department),
            age_band: cell(columns.age_band),
            name: cell(columns.name),
            reading: cell(columns.reading),
            ..Row::plain(i + 1, email)
        });
    }
    Ok(out)
}

/// Invites people into an org by email. All-or-nothing: if any address is not
/// valid, the answer is 422 listing every bad row and nothing is sent. A
/// pending invitation is replaced. An address that already has an account —
/// in this org or any other — is answered exactly like a new one (HR must not
/// learn who has an account anywhere); its owner is emailed a notice instead
/// of a link.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org_id}/invitations",
    tag = "identity",
    security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "The org")),
    request_body(content(
        (InviteRequest = "application/json"),
        (String = "text/csv", example = "email\nhana@example.com\n"),
    )),
    responses(
        (status = 201, description = "Invitations created; emails follow", body = InviteResponse),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "No such org (or another org)", body = ErrorBody),
        (status = 422, description = "Some rows are not valid addresses; nothing was sent", body = ErrorBody),
    )
)]
pub async fn create_invitations(
    State(state): State<IdentityState>,
    caller: Caller,
    Path(org_id): Path<OrgId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<InviteResponse>), ApiError> {
    authorize(&caller, Action::ManageInvitations(org_id))?;
    let rows = rows(&headers, &body)?;
    if rows.is_empty() {
        return Err(ApiError::unprocessable(
            "no_addresses",
            "the request lists no email addresses",
        ));
    }
    if rows.len() > MAX_INVITATIONS_PER_REQUEST {
        return Err(ApiError::unprocessable(
            "too_many_rows",
            format!("at most {MAX_INVITATIONS_PER_REQUEST} addresses per request"),
        ));
    }
    let mut errors = Vec::new();
    let mut emails = Vec::new();
    let mut seen = BTreeSet::new();
    let mut skipped = Vec::new();
    for Row {
        row,
        email: value,
        department,
        age_band,
        name,
        reading,
    } in rows
    {
        let cohort = Cohort::parse(department.as_deref(), age_band.as_deref());
        let person = PersonName::parse(name.as_deref(), reading.as_deref());
        match (Email::parse(&value), cohort, person) {
            (Ok(email), Ok(_), Ok(_)) if !seen.insert(email.clone()) => {
                skipped.push(SkippedEntry {
                    email: email.as_str().to_owned(),
                    reason: "duplicate_in_request",
                });
            }
            (Ok(email), Ok(cohort), Ok(person)) => emails.push((email, cohort, person)),
            (Err(message), _, _) | (Ok(_), Err(message), _) | (Ok(_), Ok(_), Err(message)) => {
                errors.push(RowError {
                    row,
                    value,
                    message,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::unprocessable(
            "invalid_rows",
            format!("{} row(s) are not valid; nothing was sent", errors.len()),
        )
        .with_details(json!({ "rows": errors })));
    }

    let now = time::now();
    let expires =
        now + Duration::from_std(state.settings.invitation_ttl).map_err(anyhow::Error::from)?;
    let mut tx = state.db.begin_write().await?;
    let org_name = store::find_org_name(&mut tx, org_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let mut invited = Vec::new();
    for (email, cohort, person) in emails {
        let cohort = cohort
            .map(|c| serde_json::to_string(&c))
            .transpose()
            .map_err(anyhow::Error::from)?;
        let invitation = Invite {
            org_id,
            org_name: &org_name,
            email: &email,
            role: Role::Employee,
            cohort: cohort.as_deref(),
            name: &person,
            invited_by: caller.user_id,
            now,
            expires,
        };
        invited.push(send_invitation(&state, &mut tx, &invitation).await?);
    }
    tx.commit().await?;
    state.wakeup.wake();
    tracing::info!(org_id = %org_id, invited = invited.len(), skipped = skipped.len(), "invitations created");
    Ok((
        StatusCode::CREATED,
        Json(InviteResponse { invited, skipped }),
    ))
}

/// One invitation to send.
pub(crate) struct Invite<'a> {
    /// Into which org.
    pub org_id: OrgId,
    /// Its name (for the email).
    pub org_name: &'a str,
    /// To whom.
    pub email: &'a Email,
    /// The role accepting gives.
    pub role: Role,
    /// Cohort attributes (JSON), if HR gave any.
    pub cohort: Option<&'a str>,
    /// Name and reading, if HR gave them.
    pub name: &'a PersonName,
    /// Who invites.
    pub invited_by: UserId,
    /// Now.
    pub now: chrono::DateTime<chrono::Utc>,
    /// When the link stops working.
    pub expires: chrono::DateTime<chrono::Utc>,
}

/// Stores an invitation (replacing an open one to the same address) and
/// queues its email, in the caller's transaction. The link's token is stored
/// as a digest, and sealed only until the email is sent; the event carries
/// the invitation's id, never the link.
pub(crate) async fn send_invitation(
    state: &IdentityState,
    tx: &mut sqlx::AnyConnection,
    inv: &Invite<'_>,
) -> anyhow::Result<InvitedEntry> {
    let token = secrets::new_token();
    let id = uuid::Uuid::now_v7().to_string();
    store::replace_invitation(
        &mut *tx,
        &NewInvitation {
            id: &id,
            org_id: inv.org_id,
            email: inv.email,
            token_hash: &secrets::digest(&token),
            token_sealed: &state.seal.seal_text(&token)?,
            invited_by: inv.invited_by,
            created_at: time::to_db(inv.now),
            expires_at: time::to_db(inv.expires),
            cohort: inv.cohort,
            role: inv.role,
            name: inv.name,
        },
    )
    .await?;
    let event = InvitationCreated {
        invitation_id: id,
        org_name: inv.org_name.to_owned(),
    };
    OUTBOX.enqueue(tx, invitation_mail::TOPIC, &event).await?;
    Ok(InvitedEntry {
        email: inv.email.as_str().to_owned(),
        expires_at: inv.expires,
    })
}

/// One invitation as HR sees it.
#[derive(Serialize, ToSchema)]
pub struct InvitationView {
    /// Address.
    pub email: String,
    /// `pending`, `accepted`, `expired` or `replaced`.
    pub status: &'static str,
    /// Sent.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Link expiry.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// The org's invitations (newest first, at most 1000).
#[derive(Serialize, ToSchema)]
pub struct InvitationList {
    /// Invitations.
    pub items: Vec<InvitationView>,
}

/// Lists an org's invitations and their state.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org_id}/invitations",
    tag = "identity",
    security(("bearer" = [])),
    params(("org_id" = OrgId, Path, description = "The org")),
    responses(
        (status = 200, description = "Invitations", body = InvitationList),
        (status = 403, description = "Not HR", body = ErrorBody),
        (status = 404, description = "Another org", body = ErrorBody),
    )
)]
pub async fn list_invitations(
    State(state): State<IdentityState>,
    caller: Caller,
    Path(org_id): Path<OrgId>,
) -> Result<Json<InvitationList>, ApiError> {
    authorize(&caller, Action::ManageInvitations(org_id))?;
    let now = time::to_db(time::now());
    let mut conn = state.db.pool().acquire().await?;
    store::find_org_name(&mut conn, org_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let items = store::list_invitations(&mut conn, org_id, 1000)
        .await?
        .into_iter()
        .map(|inv| InvitationView {
            status: match (inv.accepted_at, inv.revoked_at) {
                (Some(_), _) => "accepted",
                (None, Some(_)) => "replaced",
                (None, None) if inv.expires_at <= now => "expired",
                (None, None) => "pending",
            },
            email: inv.email,
            created_at: time::from_db(inv.created_at),
            expires_at: time::from_db(inv.expires_at),
        })
        .collect();
    Ok(Json(InvitationList { items }))
}

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

/// Accepts an invitation: creates the employee account and signs in. The link
/// works once, until it expires, and only if it is the newest for the address.
#[utoipa::path(
    post,
    path = "/api/v1/invitations/accept",
    tag = "identity",
    request_body = AcceptRequest,
    responses(
        (status = 201, description = "Account created and signed in", body = TokenResponse),
        (status = 404, description = "Invalid, used, replaced or expired link", body = ErrorBody),
        (status = 409, description = "The address already has an account", body = ErrorBody),
        (status = 422, description = "Password or display name not acceptable", body = ErrorBody),
    )
)]
pub async fn accept_invitation(
    State(state): State<IdentityState>,
    Json(body): Json<AcceptRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let tokens = accept(&state, &body).await?;
    Ok((StatusCode::CREATED, Json(tokens)))
}

/// Accepts an invitation (shared by the API and the invitation page).
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
        .enqueue(
            &mut tx,
            CONTACT_CHANGED,
            &serde_json::json!({
                "user_id": user.id,
                "org_id": invitation.org_id,
                "email": email.as_str(),
                "display_name": display_name.as_str(),
                "cohort": cohort,
                "full_name": invitation.name.full_name,
                "name_reading": invitation.name.reading,
            }),
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
        .enqueue(
            tx,
            COHORT_SIZES,
            &serde_json::json!({"org_id": org, "as_of": now, "dimensions": sizes}),
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
