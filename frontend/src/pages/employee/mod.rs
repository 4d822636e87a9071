//! The employee's pages: the assessment and values, matches, search and
//! profiles with slots, and what HR can and cannot see.

pub mod assessment;
pub mod data;
pub mod matches;
pub mod privacy;
pub mod search;

use axum::Router;
use axum::routing::{get, post};

use crate::WebState;

/// The employee's routes.
pub fn router() -> Router<WebState> {
    Router::new()
        .route("/assessment", get(assessment::show).post(assessment::save))
        .route("/values", get(assessment::values))
        .route("/matches", get(matches::show))
        .route("/matches/preferences", post(matches::preferences))
        .route("/matches/exclude", post(matches::exclude))
        .route("/consultants", get(search::search))
        .route("/consultants/{id}", get(search::profile))
        .route("/book", post(search::book))
        .route("/me/data", get(data::page))
        .route("/me/data.json", get(data::download))
        .route("/me/erase", post(data::erase))
}

/// Codes → labels of the consultant taxonomy (specialties, languages,
/// regions, qualifications), in the page language.
pub struct Terms {
    /// Every term of the taxonomy: (kind, code, label).
    pub all: Vec<(String, String, String)>,
}

impl Terms {
    /// Loads the taxonomy.
    pub async fn load(ctx: &crate::ctx::Ctx) -> Self {
        let l = ctx.l();
        let taxonomy: serde_json::Value = ctx
            .get("/api/v1/consultants/taxonomy")
            .await
            .unwrap_or_default();
        let mut all = Vec::new();
        for kind in ["specialties", "languages", "regions", "qualifications"] {
            for t in taxonomy[kind].as_array().into_iter().flatten() {
                all.push((
                    kind.to_owned(),
                    t["code"].as_str().unwrap_or("").to_owned(),
                    l.label(t).to_owned(),
                ));
            }
        }
        Self { all }
    }

    /// The label of a code of `kind` (the code itself when unknown).
    pub fn label(&self, kind: &str, code: &str) -> String {
        self.all
            .iter()
            .find(|(k, c, _)| k == kind && c == code)
            .map_or_else(|| code.to_owned(), |(_, _, l)| l.clone())
    }

    /// Labels of several codes, joined.
    pub fn labels(&self, kind: &str, codes: &serde_json::Value) -> String {
        codes
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .map(|c| self.label(kind, c))
            .collect::<Vec<_>>()
            .join("・")
    }

    /// `(code, label)` of every term of `kind`.
    pub fn of(&self, kind: &str) -> Vec<(String, String)> {
        self.all
            .iter()
            .filter(|(k, _, _)| k == kind)
            .map(|(_, c, l)| (c.clone(), l.clone()))
            .collect()
    }
}

/// A consultant as a card shows them.
pub struct Card {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Initial for the photo placeholder.
    pub initial: String,
    /// Headline.
    pub headline: String,
    /// Specialties, as labels.
    pub specialties: String,
    /// Languages, as labels.
    pub languages: String,
    /// Qualification, region and years.
    pub facts: String,
}

impl Card {
    /// From the API's consultant summary.
    pub fn of(c: &serde_json::Value, terms: &Terms, l: crate::i18n::Lang) -> Self {
        let name = c["display_name"].as_str().unwrap_or("").to_owned();
        let years = c["years_experience"].as_i64().unwrap_or(0);
        Self {
            id: c["id"].as_str().unwrap_or("").to_owned(),
            initial: name.chars().next().map(String::from).unwrap_or_default(),
            name,
            headline: c["headline"].as_str().unwrap_or("").to_owned(),
            specialties: terms.labels("specialties", &c["specialties"]),
            languages: terms.labels("languages", &c["languages"]),
            facts: format!(
                "{} · {} · {}",
                terms.label("qualifications", c["qualification"].as_str().unwrap_or("")),
                terms.label("regions", c["region"].as_str().unwrap_or("")),
                if l.ja() {
                    format!("経験{years}年")
                } else {
                    format!("{years} years")
                }
            ),
        }
    }
}
