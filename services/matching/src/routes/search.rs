//! `GET /api/v1/consultants` (search with filters) and the taxonomy its
//! filters name.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Query};
use utoipa::{IntoParams, ToSchema};

use crate::MatchingState;
use crate::catalogue::{CatalogueQuery, Filters, find};
use crate::domain::profile::ConsultantId;
use crate::domain::taxonomy::{LANGUAGES, QUALIFICATIONS, REGIONS, SPECIALTIES, Term};
use crate::store::ConsultantRecord;

/// A consultant in a list.
#[derive(Serialize, ToSchema)]
pub struct ConsultantSummary {
    /// Id.
    pub id: ConsultantId,
    /// Name.
    pub display_name: String,
    /// One line.
    pub headline: String,
    /// Specialty codes.
    pub specialties: Vec<String>,
    /// Language codes.
    pub languages: Vec<String>,
    /// Qualification code.
    pub qualification: String,
    /// Years of experience.
    pub years_experience: u32,
    /// Region code.
    pub region: String,
    /// Whether they take new clients.
    pub accepting_clients: bool,
}

/// Search words, filters and paging.
#[derive(Deserialize, IntoParams)]
pub struct SearchParams {
    /// Keywords (Japanese substrings and English words), all must match.
    pub q: Option<String>,
    /// Specialty code.
    pub specialty: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Region code.
    pub region: Option<String>,
    /// Qualification code.
    pub qualification: Option<String>,
    /// Gender code (for employees who prefer).
    pub gender: Option<String>,
    /// Only those taking new clients.
    pub accepting: Option<bool>,
    /// Page, from 1.
    pub page: Option<usize>,
    /// Results per page (1–100, default 20).
    pub per_page: Option<usize>,
}

/// A page of consultants.
#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    /// This page.
    pub items: Vec<ConsultantSummary>,
    /// All matches.
    pub total: usize,
    /// Page number.
    pub page: usize,
    /// Page size.
    pub per_page: usize,
}

/// Searches approved consultants by keyword with filters; relevance-ranked
/// when `q` is given, otherwise by name.
#[utoipa::path(get, path = "/api/v1/consultants", tag = "matching", security(("bearer" = [])), params(SearchParams),
    responses(
        (status = 200, description = "A page of consultants", body = SearchResponse),
        (status = 422, description = "Unknown filter value or bad paging", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<MatchingState>,
    caller: Caller,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    let page = p.page.unwrap_or(1);
    let per_page = p.per_page.unwrap_or(20);
    if !(1..=100).contains(&per_page) {
        return Err(ApiError::unprocessable(
            "invalid_parameter",
            "per_page must be between 1 and 100",
        ));
    }
    if !(1..=10_000).contains(&page) {
        return Err(ApiError::unprocessable(
            "invalid_parameter",
            "page must be between 1 and 10000",
        ));
    }
    let filters = Filters::parse(CatalogueQuery {
        q: p.q,
        specialty: p.specialty,
        language: p.language,
        region: p.region,
        qualification: p.qualification,
        gender: p.gender,
        accepting: p.accepting,
    })?;
    let results = find(&state, &caller, &filters)?;
    let total = results.len();
    let items = results
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|e| summary(&e.record))
        .collect();
    Ok(Json(SearchResponse {
        items,
        total,
        page,
        per_page,
    }))
}

/// A label pair.
#[derive(Serialize, ToSchema)]
pub struct TermView {
    /// Code.
    pub code: &'static str,
    /// Japanese.
    pub label_ja: &'static str,
    /// English.
    pub label_en: &'static str,
}

/// The catalogue's vocabularies.
#[derive(Serialize, ToSchema)]
pub struct TaxonomyView {
    /// Specialties (also the topics employees choose).
    pub specialties: Vec<TermView>,
    /// Qualifications.
    pub qualifications: Vec<TermView>,
    /// Languages.
    pub languages: Vec<TermView>,
    /// Regions.
    pub regions: Vec<TermView>,
}

fn view(terms: &[Term]) -> Vec<TermView> {
    terms
        .iter()
        .map(|t| TermView {
            code: t.code,
            label_ja: t.ja,
            label_en: t.en,
        })
        .collect()
}

/// Specialties, qualifications, languages and regions with their labels.
#[utoipa::path(get, path = "/api/v1/consultants/taxonomy", tag = "matching",
    responses((status = 200, description = "Vocabularies", body = TaxonomyView)))]
pub async fn taxonomy() -> Json<TaxonomyView> {
    Json(TaxonomyView {
        specialties: view(&SPECIALTIES),
        qualifications: view(&QUALIFICATIONS),
        languages: view(&LANGUAGES),
        regions: view(&REGIONS),
    })
}

pub(crate) fn summary(r: &ConsultantRecord) -> ConsultantSummary {
    let p = &r.profile;
    ConsultantSummary {
        id: r.id,
        display_name: p.display_name.clone(),
        headline: p.headline.clone(),
        specialties: p.specialties.clone(),
        languages: p.languages.clone(),
        qualification: p.qualification.clone(),
        years_experience: p.years_experience,
        region: p.region.clone(),
        accepting_clients: p.accepting_clients,
    }
}
