//! An employee's matching preferences: the topics and languages they want,
//! the weights of the ranking, and the consultants never to propose again.

use shared::error::ApiError;
use shared::ids::UserId;
use shared::time;

use crate::MatchingState;
use crate::domain::profile::ConsultantId;
use crate::domain::ranking::Weights;
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, position};
use crate::store::{self, Preferences};

/// A rating at or below this (of 5) takes the consultant out of the
/// employee's future matches, as "not for me" does.
pub const LOW_RATING: u8 = 2;

/// Most consultants one employee may exclude.
pub const MAX_EXCLUDED: usize = 1000;

/// Never proposes `consultant` to `employee` again (nothing happens when
/// they are excluded already, or already exclude [`MAX_EXCLUDED`]), then
/// forgets what is held of the employee. Private to the employee: HR never
/// sees it and it never counts against the consultant. The row is locked
/// while it is read and written (PostgreSQL; SQLite has one writer), so a
/// concurrent change of the employee's preferences is not lost.
pub async fn exclude(
    state: &MatchingState,
    employee: UserId,
    consultant: ConsultantId,
) -> anyhow::Result<()> {
    let mut tx = state.db.begin_write().await?;
    lock(&mut tx, &state.db, employee).await?;
    let mut prefs = store::preferences(&mut tx, employee).await?;
    if !prefs.excluded.contains(&consultant) && prefs.excluded.len() < MAX_EXCLUDED {
        prefs.excluded.push(consultant);
        store::save_preferences(&mut tx, employee, &prefs, time::to_db(time::now())).await?;
    }
    state.employees.commit_then_forget(tx, employee).await?;
    Ok(())
}

/// Locks the employee's preferences row until the transaction ends
/// (PostgreSQL; SQLite has one writer at a time), so that a read-modify-write
/// of it is never lost to a concurrent one.
pub async fn lock(
    conn: &mut sqlx::AnyConnection,
    db: &shared::db::Db,
    employee: UserId,
) -> sqlx::Result<()> {
    if db.backend() == shared::db::Backend::Postgres {
        sqlx::query("SELECT user_id FROM matching_preferences WHERE user_id = $1 FOR UPDATE")
            .bind(employee.to_string())
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Preferences as asked for, checked: known topics (at most 6, duplicates
/// dropped) and languages, at most 1000 exclusions, usable weights
/// (normalised). A bad one is a 422 `invalid_preferences` naming it.
pub fn check(
    mut topics: Vec<String>,
    languages: Vec<String>,
    excluded: Vec<ConsultantId>,
    weights: Option<Weights>,
) -> Result<Preferences, ApiError> {
    if let Some(t) = topics.iter().find(|t| position(&SPECIALTIES, t).is_none()) {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            format!("unknown topic {t:?}"),
        ));
    }
    if topics.len() > 6 {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            "choose at most 6 topics",
        ));
    }
    if let Some(l) = languages.iter().find(|l| position(&LANGUAGES, l).is_none()) {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            format!("unknown language {l:?}"),
        ));
    }
    if excluded.len() > MAX_EXCLUDED {
        return Err(ApiError::unprocessable(
            "invalid_preferences",
            format!("at most {MAX_EXCLUDED} exclusions"),
        ));
    }
    let weights = match weights {
        Some(w) => Some(w.normalised().ok_or_else(|| {
            ApiError::unprocessable(
                "invalid_preferences",
                "weights must be finite, not negative, and not all zero",
            )
        })?),
        None => None,
    };
    topics.dedup();
    Ok(Preferences {
        topics,
        languages,
        excluded,
        weights,
    })
}
