//! Curating the theme taxonomy (operators): add a theme, rename one (its
//! earlier labels are kept, so a report shows each theme as it was named
//! when its last quarter was released), retire one (no longer offered for
//! new records; it stays in the records and reports that have it) or
//! reinstate it. The sensitive themes stay as they are: they can be
//! renamed, not retired, and new themes are never sensitive — the crisis
//! path and the counts HR never sees depend on them. Each change is audited
//! and publishes the whole taxonomy ([`TaxonomyChanged`]) for booking,
//! which checks a record's themes against it.

use shared::auth::Caller;
use shared::contracts::{TaxonomyChanged, TaxonomyTheme};
use shared::db::Backend;
use shared::error::ApiError;
use shared::time;
use sqlx::AnyConnection;

use crate::policy::{Action, authorize};
use crate::store::taxonomy as store;
use crate::{AUDIT, OUTBOX, ReportingState};

/// Most themes the taxonomy holds (a report is a row per theme).
pub const MAX_THEMES: usize = 60;
/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 40;
/// Codes that already mean something else where themes are listed.
const RESERVED_CODES: [&str; 3] = ["crisis_path", "all", "none"];

/// A change an operator asks for.
pub enum Change<'a> {
    /// A new theme.
    Add {
        /// Its code (`[a-z][a-z0-9_]{2,39}`), kept for ever.
        code: &'a str,
        /// Japanese label.
        label_ja: &'a str,
        /// English label.
        label_en: &'a str,
    },
    /// New labels for a theme.
    Rename {
        /// The theme.
        code: &'a str,
        /// Japanese label.
        label_ja: &'a str,
        /// English label.
        label_en: &'a str,
    },
    /// No longer offered for new records.
    Retire(&'a str),
    /// Offered again.
    Reinstate(&'a str),
}

impl Change<'_> {
    fn code(&self) -> &str {
        match self {
            Self::Add { code, .. } | Self::Rename { code, .. } => code,
            Self::Retire(code) | Self::Reinstate(code) => code,
        }
    }

    fn audit_action(&self) -> &'static str {
        match self {
            Self::Add { .. } => "taxonomy.add",
            Self::Rename { .. } => "taxonomy.rename",
            Self::Retire(_) => "taxonomy.retire",
            Self::Reinstate(_) => "taxonomy.reinstate",
        }
    }
}

/// Whether `code` is a usable new theme code.
pub fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && (3..=40).contains(&code.len())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED_CODES.contains(&code)
}

/// A label as given, trimmed, or the problem with it.
pub fn label(field: &'static str, value: &str) -> Result<String, ApiError> {
    let value = value.trim();
    let problem = if value.is_empty() {
        Some("is empty")
    } else if value.chars().count() > MAX_LABEL_CHARS {
        Some("is longer than 40 characters")
    } else if value.chars().any(|c| {
        c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }) {
        Some("holds control or direction characters")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(ApiError::unprocessable(
            "invalid_label",
            format!("`{field}` {problem}"),
        )
        .with_details(serde_json::json!({ "field": field }))),
        None => Ok(value.to_owned()),
    }
}

/// Makes `change` for `caller` (an operator): the taxonomy's new version.
pub async fn change(
    state: &ReportingState,
    caller: &Caller,
    change: Change<'_>,
) -> Result<i64, ApiError> {
    authorize(caller, Action::CurateTaxonomy)?;
    let labels = match &change {
        Change::Add {
            label_ja, label_en, ..
        }
        | Change::Rename {
            label_ja, label_en, ..
        } => Some((label("label_ja", label_ja)?, label("label_en", label_en)?)),
        Change::Retire(_) | Change::Reinstate(_) => None,
    };
    let code = change.code();
    if matches!(change, Change::Add { .. }) && !valid_code(code) {
        return Err(ApiError::unprocessable(
            "invalid_code",
            "a theme's code is 3 to 40 of a-z, 0-9 and _, starting with a letter (and not crisis_path, all or none)",
        )
        .with_details(serde_json::json!({ "field": "code" })));
    }
    let now = time::to_db(time::now());
    let mut tx = state.db.begin_write().await?;
    let version = store::lock(&mut tx, state.db.backend() == Backend::Postgres).await? + 1;
    let themes = crate::store::themes(&mut tx).await?;
    let existing = themes.iter().find(|t| t.code == code);
    if existing.is_none() && !matches!(change, Change::Add { .. }) {
        return Err(ApiError::not_found());
    }
    if let Some((ja, en)) = &labels {
        // Two themes with one name would be one line twice in a report; a
        // retired theme keeps its name (old reports show it, and it may be
        // reinstated), so it counts too.
        let taken = themes
            .iter()
            .any(|t| t.code != code && (t.label_ja == *ja || t.label_en == *en));
        if taken {
            return Err(ApiError::conflict(
                "label_taken",
                "another theme already has this label",
            ));
        }
    }
    match (&change, existing) {
        (Change::Add { .. }, Some(_)) => {
            return Err(ApiError::conflict(
                "theme_exists",
                "a theme with this code exists (retired themes keep their codes)",
            ));
        }
        (Change::Add { .. }, None) if themes.len() >= MAX_THEMES => {
            return Err(ApiError::conflict(
                "taxonomy_full",
                "the taxonomy holds at most 60 themes; retire or rename one instead",
            ));
        }
        (Change::Add { .. }, None) => {
            if let Some((ja, en)) = &labels {
                store::add(&mut tx, code, ja, en, now).await?;
            }
        }
        (_, None) => return Err(ApiError::not_found()),
        (Change::Rename { .. }, Some(theme)) => {
            if let Some((ja, en)) = &labels {
                if theme.label_ja == *ja && theme.label_en == *en {
                    // Nothing changes: no version, no event.
                    return Ok(version - 1);
                }
                store::rename(&mut tx, code, ja, en, now).await?;
            }
        }
        (Change::Retire(_), Some(theme)) if theme.sensitive => {
            return Err(ApiError::conflict(
                "sensitive_theme",
                "a sensitive theme cannot be retired: the crisis path and the counts HR never sees depend on it",
            ));
        }
        (Change::Retire(_), Some(theme)) if theme.retired_at.is_some() => return Ok(version - 1),
        (Change::Retire(_), Some(_)) => store::set_retired(&mut tx, code, Some(now)).await?,
        (Change::Reinstate(_), Some(theme)) if theme.retired_at.is_none() => {
            return Ok(version - 1);
        }
        (Change::Reinstate(_), Some(_)) => store::set_retired(&mut tx, code, None).await?,
    }
    store::bump(&mut tx, version).await?;
    publish(&mut tx, version).await?;
    AUDIT
        .record(&mut tx, caller, change.audit_action(), code)
        .await?;
    tx.commit().await?;
    tracing::info!(version, action = change.audit_action(), "taxonomy changed");
    Ok(version)
}

/// Publishes the whole taxonomy as of `version`.
async fn publish(conn: &mut AnyConnection, version: i64) -> anyhow::Result<()> {
    let themes = crate::store::themes(&mut *conn)
        .await?
        .into_iter()
        .map(|t| TaxonomyTheme {
            code: t.code,
            sensitive: t.sensitive,
            retired: t.retired_at.is_some(),
        })
        .collect();
    OUTBOX
        .publish(conn, &TaxonomyChanged { version, themes })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests;
