//! A released quarter never changes. Its report — every view (`by=none` and
//! each cohort dimension), every cell released or hidden with its reason,
//! and the usage figures — is computed once, at the first read after the
//! quarter's release, with the cohort sizes as they stood at the release,
//! and kept. Every later answer about that quarter is read from what was
//! kept, so re-reading it over time cannot isolate anyone: a record that
//! would arrive late is counted in the open quarter by booking, or refused
//! by intake (`crate::intake`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use shared::ids::OrgId;
use shared::quarters::Quarter;
use shared::time;

use crate::report::{self, Hidden, MIN_K};
use crate::theme_report::DIMENSIONS;
use crate::{ReportingState, store};

/// One cell as released: a count, or why it is hidden.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedCell {
    /// Theme code.
    pub theme: String,
    /// Cohort group, or `all`.
    pub group: String,
    /// Distinct people, when released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// Why it is hidden (`fewer_than_k`, `homogeneous`, `complementary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<String>,
}

/// The usage of a quarter, when at least k people had sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageFigures {
    /// Distinct people who had a session (held or missed).
    pub people: usize,
    /// Sessions held.
    pub sessions_held: usize,
    /// Sessions missed.
    pub no_shows: usize,
}

/// A quarter's report as released.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// The k it was released under.
    pub k: usize,
    /// View (`none`, `department`, `age_band`) → its cells.
    pub views: BTreeMap<String, Vec<ReleasedCell>>,
    /// Usage, or `None` when fewer than k people had sessions.
    pub usage: Option<UsageFigures>,
}

/// The released report of `quarter` for `org`: kept if it was, else made
/// and kept now. The caller must only ask for a released quarter.
pub async fn release(
    state: &ReportingState,
    org: OrgId,
    quarter: Quarter,
) -> anyhow::Result<Release> {
    let name = quarter.name();
    let mut conn = state.db.pool().acquire().await?;
    if let Some(kept) = store::released(&mut conn, org, &name).await? {
        return Ok(serde_json::from_str(&kept)?);
    }
    drop(conn);
    let made = make(state, org, quarter).await?;
    let mut tx = state.db.begin_write().await?;
    store::keep_release(
        &mut tx,
        org,
        &name,
        &serde_json::to_string(&made)?,
        time::to_db(time::now()),
    )
    .await?;
    // A concurrent first read may have kept its own (identical) one first.
    let kept = store::released(&mut tx, org, &name).await?;
    tx.commit().await?;
    match kept {
        Some(kept) => Ok(serde_json::from_str(&kept)?),
        None => Ok(made),
    }
}

/// Computes a quarter's report from the tallies, with the cohort sizes as
/// they stood at its release.
async fn make(state: &ReportingState, org: OrgId, quarter: Quarter) -> anyhow::Result<Release> {
    let name = quarter.name();
    let mut conn = state.db.pool().acquire().await?;
    // A theme retired before the quarter began has no cells in it.
    let retired_before = |at: i64| Quarter::of(time::from_db(at)).index() < quarter.index();
    let themes: Vec<String> = store::themes(&mut conn)
        .await?
        .into_iter()
        .filter(|t| !t.sensitive && !t.retired_at.is_some_and(retired_before))
        .map(|t| t.code)
        .collect();
    let classes = store::classes_for_report(
        &mut conn,
        org,
        (&name, &name),
        time::to_db(quarter.released_at()),
    )
    .await?;
    let k = state.settings.k.max(MIN_K);
    let views = report::reports_of_classes(
        &classes,
        &themes,
        std::slice::from_ref(&name),
        &DIMENSIONS,
        k,
    )
    .into_iter()
    .map(|(view, cells)| {
        let cells = cells
            .into_iter()
            .map(|c| ReleasedCell {
                theme: c.theme,
                group: c.group,
                count: c.count.ok(),
                hidden: c.count.err().map(|h| h.code().to_owned()),
            })
            .collect();
        (view, cells)
    })
    .collect();
    let (first, last) = quarter.months();
    let records = store::usage(&mut conn, org, &first.to_string(), &last.to_string()).await?;
    let people: BTreeSet<&str> = records.iter().map(|(_, p, _)| p.as_str()).collect();
    let held = records.iter().filter(|(_, _, o)| o == "held").count();
    let usage = (people.len() >= k).then_some(UsageFigures {
        people: people.len(),
        sessions_held: held,
        no_shows: records.len() - held,
    });
    Ok(Release { k, views, usage })
}

/// The reason of a hidden cell, from its code.
pub fn hidden_reason(code: &str) -> Hidden {
    match code {
        "homogeneous" => Hidden::Homogeneous,
        "complementary" => Hidden::Complementary,
        _ => Hidden::FewerThanK,
    }
}
