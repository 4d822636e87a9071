//! Finding consultants in the catalogue: keywords (Japanese substrings and
//! English words, ranked by relevance) and filters over approved profiles
//! the caller may see; without keywords, by name.

use shared::auth::Caller;
use shared::error::ApiError;

use crate::MatchingState;
use crate::domain::profile::ApprovalStatus;
use crate::domain::taxonomy::{
    self, GENDERS, LANGUAGES, QUALIFICATIONS, REGIONS, SPECIALTIES, Term,
};
use crate::index::Entry;

/// A search as asked for.
#[derive(Clone, Debug, Default)]
pub struct CatalogueQuery {
    /// Keywords.
    pub q: Option<String>,
    /// Specialty code.
    pub specialty: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Region code.
    pub region: Option<String>,
    /// Qualification code.
    pub qualification: Option<String>,
    /// Gender code.
    pub gender: Option<String>,
    /// Only those taking new clients.
    pub accepting: Option<bool>,
}

/// A search with every code known and the keywords trimmed.
#[derive(Clone, Debug)]
pub struct Filters {
    q: Option<String>,
    p: CatalogueQuery,
}

/// 422 naming the value and the known codes when `value` is not one of `terms`.
fn check_code(name: &str, value: &Option<String>, terms: &[Term]) -> Result<(), ApiError> {
    match value {
        Some(v) if taxonomy::position(terms, v).is_none() => {
            let known: Vec<&str> = terms.iter().map(|t| t.code).collect();
            Err(ApiError::unprocessable(
                "invalid_parameter",
                format!("unknown {name} {v:?}; known: {}", known.join(", ")),
            ))
        }
        _ => Ok(()),
    }
}

impl Filters {
    /// Checks every code and the keywords (at most 200 characters).
    pub fn parse(p: CatalogueQuery) -> Result<Self, ApiError> {
        check_code("specialty", &p.specialty, &SPECIALTIES)?;
        check_code("language", &p.language, &LANGUAGES)?;
        check_code("region", &p.region, &REGIONS)?;
        check_code("qualification", &p.qualification, &QUALIFICATIONS)?;
        check_code("gender", &p.gender, &GENDERS)?;
        let q =
            p.q.as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(str::to_owned);
        if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
            return Err(ApiError::unprocessable(
                "invalid_parameter",
                "q must have at most 200 characters",
            ));
        }
        Ok(Self { q, p })
    }
}

/// The consultants `caller` may find that match `filters`, best first.
#[tracing::instrument(name = "matching.search", skip_all)]
pub fn find(
    state: &MatchingState,
    caller: &Caller,
    filters: &Filters,
) -> Result<Vec<Entry>, ApiError> {
    let p = &filters.p;
    let keep = |e: &Entry| {
        let r = &e.record.profile;
        crate::policy::may_find(caller, &e.record)
            && p.specialty
                .as_ref()
                .is_none_or(|s| r.specialties.contains(s))
            && p.language.as_ref().is_none_or(|l| r.languages.contains(l))
            && p.region.as_ref().is_none_or(|g| &r.region == g)
            && p.qualification
                .as_ref()
                .is_none_or(|x| &r.qualification == x)
            && p.gender
                .as_ref()
                .is_none_or(|g| r.gender.as_ref() == Some(g))
            && p.accepting.is_none_or(|a| r.accepting_clients == a)
    };
    let results: Vec<Entry> = match filters.q.as_deref() {
        Some(q) => {
            let hits = state.search.search(q, 100_000)?;
            hits.into_iter()
                .filter_map(|(id, _)| state.index.get(id))
                .filter(|e| e.record.status == ApprovalStatus::Approved && keep(e))
                .collect()
        }
        None => {
            let mut all: Vec<Entry> = state
                .index
                .approved()
                .into_iter()
                .filter(|e| keep(e))
                .collect();
            all.sort_by(|a, b| {
                a.record
                    .profile
                    .display_name
                    .cmp(&b.record.profile.display_name)
                    .then(a.record.id.cmp(&b.record.id))
            });
            all
        }
    };
    Ok(results)
}
