//! The consultant's session record: private notes (sealed under a key of
//! the employee's, theirs alone), theme codes, an organisational summary and
//! the client's action items.

use shared::auth::Caller;
use shared::error::ApiError;
use shared::time;

use crate::crypto::{decrypt, encrypt};
use crate::domain::booking::{BookingId, BookingRecord};
use crate::policy::{Action, authorize};
use crate::{AUDIT, BookingState, store};

/// A session record as the consultant writes and reads it. Its `Debug`
/// never shows the notes or the summary.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Private notes (up to 20,000 characters), in clear only here.
    pub private_notes: String,
    /// Theme codes from the taxonomy (up to 10).
    pub themes: Vec<String>,
    /// The summary for the organisational report (up to 2,000 characters).
    pub org_summary: String,
    /// What the employee agreed to do (up to 10 of 200 characters).
    pub action_items: Vec<String>,
    /// The employee agreed to the crisis path for a sensitive theme.
    pub crisis_path: bool,
}

impl std::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("private_notes", &"…")
            .field("themes", &self.themes)
            .field("org_summary", &"…")
            .field("action_items", &self.action_items.len())
            .field("crisis_path", &self.crisis_path)
            .finish()
    }
}

impl SessionRecord {
    /// Whether the record's lengths allow storing it (its themes are
    /// checked against the taxonomy in the write's transaction).
    pub fn check(&self) -> Result<(), ApiError> {
        let bad = |m: &str| Err(ApiError::unprocessable("invalid_record", m));
        if self.private_notes.chars().count() > 20_000 || self.org_summary.chars().count() > 2_000 {
            return bad("private_notes at most 20000 characters, org_summary at most 2000");
        }
        if self.action_items.len() > 10
            || self
                .action_items
                .iter()
                .any(|a| a.trim().is_empty() || a.chars().count() > 200)
        {
            return bad("action_items: at most 10, each 1–200 characters");
        }
        if self.themes.len() > 10 {
            return bad("themes: at most 10");
        }
        Ok(())
    }

    /// Whether the record's themes are in the taxonomy as booking holds it
    /// (reporting's, carried by its events): every theme known, none retired
    /// unless the record already carried it (`kept`), and a crisis path only
    /// with a sensitive theme.
    async fn check_themes(
        &self,
        conn: &mut sqlx::AnyConnection,
        kept: &[String],
    ) -> Result<(), ApiError> {
        let known = store::themes_of(conn, &self.themes).await?;
        if let Some(unknown) = self
            .themes
            .iter()
            .find(|t| !known.iter().any(|k| k.code == **t))
        {
            return Err(ApiError::unprocessable(
                "unknown_theme",
                format!("{unknown:?} is not in the theme taxonomy (GET /api/v1/themes)"),
            ));
        }
        if let Some(retired) = known.iter().find(|k| k.retired && !kept.contains(&k.code)) {
            return Err(ApiError::unprocessable(
                "retired_theme",
                format!(
                    "{:?} was retired from the theme taxonomy (GET /api/v1/themes)",
                    retired.code
                ),
            ));
        }
        if self.crisis_path && !known.iter().any(|k| k.sensitive) {
            return Err(ApiError::unprocessable(
                "crisis_path_needs_sensitive_theme",
                "crisis_path goes with a sensitive theme (health or harassment)",
            ));
        }
        Ok(())
    }
}

/// The booking `id` if `caller` is its consultant.
async fn load_own(
    caller: &Caller,
    id: BookingId,
    conn: &mut sqlx::AnyConnection,
) -> Result<BookingRecord, ApiError> {
    let booking = super::load_for(caller, id, conn).await?;
    // The employee's booking too, but the record is the consultant's alone.
    authorize(caller, Action::ConsultantOf(&booking))?;
    Ok(booking)
}

/// Writes (or rewrites) the record of a held session (its consultant only),
/// closes the session for usage if the employee's rating has not, and hands
/// the record off if it is due. Returns what was stored.
#[tracing::instrument(name = "booking.write_record", skip_all)]
pub async fn write_record(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
    record: SessionRecord,
) -> Result<SessionRecord, ApiError> {
    record.check()?;
    let mut tx = state.db.begin_write().await?;
    let booking = load_own(caller, id, &mut tx).await?;
    if !booking.was_held(time::now()) {
        return Err(ApiError::conflict(
            "not_held",
            "a record can be written after a held session",
        ));
    }
    // A theme retired since the record was written may stay on it.
    let kept = store::find_record(&mut tx, id)
        .await?
        .map(|r| r.themes)
        .unwrap_or_default();
    record.check_themes(&mut tx, &kept).await?;
    let now = time::to_db(time::now());
    let data_key = match store::wrapped_key(&mut tx, booking.employee_id).await? {
        Some(wrapped) => state.master.unwrap_data_key(&wrapped)?,
        None => {
            let (key, wrapped) = state.master.new_data_key()?;
            store::insert_wrapped_key(&mut tx, booking.employee_id, &wrapped, now).await?;
            key
        }
    };
    let mut themes = record.themes.clone();
    themes.sort();
    themes.dedup();
    store::save_record(
        &mut tx,
        &booking,
        &encrypt(&data_key, &record.private_notes)?,
        &themes,
        record.org_summary.trim(),
        record.crisis_path,
        now,
    )
    .await?;
    let action_items: Vec<String> = record
        .action_items
        .iter()
        .map(|a| a.trim().to_owned())
        .collect();
    store::replace_action_items(&mut tx, &booking, &action_items, now).await?;
    super::close_held_session(&mut tx, state, &booking, now).await?;
    tx.commit().await?;
    state.wakeup.wake();
    Ok(SessionRecord {
        private_notes: record.private_notes,
        themes,
        org_summary: record.org_summary.trim().to_owned(),
        action_items,
        crisis_path: record.crisis_path,
    })
}

/// The record of a session, notes opened for its consultant; the read is
/// audited in the same transaction (a read that cannot be audited does not
/// happen).
#[tracing::instrument(name = "booking.read_record", skip_all)]
pub async fn read_record(
    state: &BookingState,
    caller: &Caller,
    id: BookingId,
) -> Result<SessionRecord, ApiError> {
    // The audit row is written first, in the read's transaction: a read that
    // cannot be audited does not happen.
    let mut conn = state.db.begin_write().await?;
    let booking = load_own(caller, id, &mut conn).await?;
    let record = store::find_record(&mut conn, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    AUDIT
        .record(&mut conn, caller, "record.read", &id.to_string())
        .await?;
    let wrapped = store::wrapped_key(&mut conn, booking.employee_id)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::GONE,
                "notes_erased",
                "these notes were erased with the employee's data",
            )
        })?;
    // Notes past the retention period were erased (nothing left to decrypt).
    let notes = if record.private_notes.is_empty() {
        String::new()
    } else {
        decrypt(
            &state.master.unwrap_data_key(&wrapped)?,
            &record.private_notes,
        )?
    };
    let action_items =
        store::action_items_with(&mut conn, booking.employee_id, booking.consultant_id)
            .await?
            .into_iter()
            .filter(|a| a.booking_id == id)
            .map(|a| a.text)
            .collect();
    conn.commit().await?;
    Ok(SessionRecord {
        private_notes: notes,
        themes: record.themes,
        org_summary: record.org_summary,
        action_items,
        crisis_path: record.crisis_path,
    })
}
