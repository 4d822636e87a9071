//! Proposing consultants: the signed-in employee's next page of
//! candidates, ranked by the index over their values, topics and languages,
//! with reasons in their language. Later pages continue the ones shown
//! before, so "ten more" never repeats anyone.

use serde::Serialize;
use shared::error::ApiError;
use shared::ids::{OrgId, UserId};
use shared::time;
use utoipa::ToSchema;

use crate::MatchingState;
use crate::domain::instrument::DIMS;
use crate::domain::profile::ConsultantId;
use crate::domain::ranking::{Baseline, Lang, ReasonInput, Weights, reasons};
use crate::domain::taxonomy::{LANGUAGES, SPECIALTIES, mask};
use crate::index::{MatchQuery, Ranked};
use crate::routes::search::{ConsultantSummary, summary};

/// Most candidates per page.
pub const MAX_LIMIT: usize = 50;
/// Most pages of "more".
pub const MAX_PAGE: usize = 20;
/// Fair-exposure boost used for employees.
pub const EXPOSURE_BOOST: f32 = 0.2;
/// MMR trade-off used for employees.
pub const MMR_LAMBDA: f32 = 0.85;

/// Which page, of how many candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    limit: usize,
    number: usize,
}

impl Page {
    /// `limit` 1–50 (default 10) and `page` 1–20 (default 1); 422 otherwise.
    pub fn parse(limit: Option<usize>, page: Option<usize>) -> Result<Self, ApiError> {
        let bad = |message| ApiError::unprocessable("invalid_parameter", message);
        let limit = limit.unwrap_or(10);
        let number = page.unwrap_or(1);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(bad("limit must be between 1 and 50"));
        }
        if !(1..=MAX_PAGE).contains(&number) {
            return Err(bad("page must be between 1 and 20"));
        }
        Ok(Self { limit, number })
    }

    /// The page's number (1 = the best candidates, afresh).
    pub fn number(self) -> usize {
        self.number
    }
}

/// One proposed consultant.
#[derive(Serialize, ToSchema)]
pub struct Candidate {
    /// Who.
    pub consultant: ConsultantSummary,
    /// Compatibility, 0..1.
    pub score: f32,
    /// Why, in plain words (never empty).
    pub reasons: Vec<String>,
    /// Next free slot, when booking has told us.
    pub next_available_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The employee's candidates on `page` (access already decided): 409
/// `assessment_required` before they answered the assessment.
///
/// Nothing is written to the database. Page N skips the consultants of the
/// earlier pages as this service showed them (`shortlists`); those it does
/// not hold (another replica showed them, or it restarted) are derived
/// again from the same inputs, page by page.
#[tracing::instrument(name = "matching.propose", skip_all, fields(page = page.number))]
pub async fn propose(
    state: &MatchingState,
    employee_id: UserId,
    org: Option<OrgId>,
    page: Page,
    lang: Lang,
) -> Result<Vec<Candidate>, ApiError> {
    let view = state.employees.get(&state.db, employee_id).await?;
    let Some(vector) = &view.vector else {
        return Err(ApiError::conflict(
            "assessment_required",
            "answer the values assessment first",
        ));
    };
    let prefs = &view.preferences;
    let employee = vector.matching_form();
    let topics = mask(&SPECIALTIES, &prefs.topics);
    let languages = if prefs.languages.is_empty() {
        mask(&LANGUAGES, &["ja"])
    } else {
        mask(&LANGUAGES, &prefs.languages)
    };
    let now_ms = time::to_db(time::now());
    // Ranking reads the clock by the hour, and the exposure snapshot of
    // that hour (taken before ranking): within an hour the same employee
    // gets the same candidates.
    let clock = now_ms - now_ms.rem_euclid(3_600_000);
    state.index.begin_hour(now_ms);
    let mut query = MatchQuery {
        vector: employee,
        topics,
        languages,
        org,
        skip: prefs.excluded.iter().copied().collect(),
        weights: prefs
            .weights
            .and_then(Weights::normalised)
            .unwrap_or(state.default_weights),
        now_ms: clock,
        want: page.limit,
        exposure_boost: EXPOSURE_BOOST,
        mmr_lambda: MMR_LAMBDA,
    };
    let before = (page.number - 1) * page.limit;
    let mut earlier = state.shortlists.shown(employee_id, before);
    while earlier.len() < before {
        query.skip.extend(earlier.iter().copied());
        query.want = page.limit.min(before - earlier.len());
        let more = state.index.rank(&query);
        if more.is_empty() {
            break;
        }
        earlier.extend(more.iter().map(|r| r.entry.record.id));
    }
    query.skip.extend(earlier.iter().copied());
    query.want = page.limit;
    let ranked = state.index.rank(&query);
    let shown: Vec<ConsultantId> = ranked.iter().map(|r| r.entry.record.id).collect();
    state.shortlists.record(employee_id, earlier.len(), &shown);
    state.index.record_shown(&shown, now_ms);
    let inputs: Vec<ReasonInput<'_>> = ranked
        .iter()
        .map(|r| reason_input(r, &employee, topics, now_ms))
        .collect();
    // Each candidate's reasons lead with what sets it apart from the
    // others on this page.
    let baseline = Baseline::of(&inputs);
    Ok(ranked
        .iter()
        .zip(&inputs)
        .map(|(r, input)| Candidate {
            consultant: summary(&r.entry.record),
            score: (r.score * 1000.0).round() / 1000.0,
            reasons: reasons(input, &baseline, lang),
            next_available_at: r.entry.record.next_available_at.map(time::from_db),
        })
        .collect())
}

/// What the reasons need to know of a ranked consultant.
fn reason_input<'a>(
    r: &'a Ranked,
    employee: &'a [f32; DIMS],
    topics: u32,
    now_ms: i64,
) -> ReasonInput<'a> {
    let p = &r.entry.record.profile;
    ReasonInput {
        employee,
        consultant: &r.vector,
        features: r.features,
        topics,
        specialties: r.entry.specialties,
        ms_until_available: r.entry.record.next_available_at.map(|at| at - now_ms),
        rating: r.entry.rating(),
        years_experience: p.years_experience,
        qualification: &p.qualification,
    }
}
