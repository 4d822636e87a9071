//! The matching service: the values assessment, the consultant catalogue,
//! ten compatible consultants with reasons, and Japanese-aware search.
//!
//! It is a library exposing its axum router and state; the `taiwa` binary
//! runs it in-process (the embedded default) or alone (`--service matching`).

pub mod assessment;
#[cfg(any(test, feature = "bench"))]
pub mod bench;
pub mod candidates;
pub mod catalogue;
#[cfg(any(test, feature = "demo"))]
pub mod demo;
pub mod domain;
pub mod employees;
pub mod events;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod index;
pub mod policy;
pub mod preferences;
pub mod privacy;
pub mod routes;
pub mod search;
pub mod shortlists;
pub mod store;
#[cfg(any(test, feature = "demo", feature = "bench"))]
pub mod synthetic;
pub mod train;

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context;
use axum::extract::{FromRef, State};
use shared::auth::TokenKeys;
use shared::db::Db;
use shared::error::{ApiError, ErrorBody};
use shared::events::{Inbox, Outbox, Wakeup};
use shared::http::{Json, ServiceStatus, service_status};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::index::MatchIndex;
use crate::search::CatalogueSearch;

/// The matching service's migrations (`migrations/matching`); its tables are `matching_*`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/matching");

/// Events this service emits, written in the same transaction as its changes.
pub const OUTBOX: Outbox = Outbox::new("matching_outbox");

/// Events this service has applied, for idempotent consumption.
pub const INBOX: Inbox = Inbox::new("matching_inbox");

/// What the matching handlers share.
#[derive(Clone, FromRef)]
pub struct MatchingState {
    /// This service's database.
    pub db: Db,
    /// Verifies callers' access tokens.
    pub tokens: Arc<TokenKeys>,
    /// The in-memory match index.
    pub index: Arc<MatchIndex>,
    /// The keyword search index.
    pub search: Arc<CatalogueSearch>,
    /// Wakes the event dispatcher after a commit.
    pub wakeup: Wakeup,
    /// Ranking weights: the active learned model's, else the hand-set ones.
    pub default_weights: domain::ranking::Weights,
    /// Employees' vectors and preferences, held in memory where safe.
    pub employees: Arc<employees::EmployeeViews>,
    /// The candidates each employee was shown, page by page.
    pub shortlists: Arc<shortlists::Shortlists>,
}

impl MatchingState {
    /// Loads the catalogue, vectors and ratings into memory. With
    /// `search_folder` the keyword index is kept there between starts and
    /// opened when it still matches the catalogue (only for a sole writer of
    /// matching's tables, which the embedded default is).
    pub async fn load(
        db: Db,
        tokens: Arc<TokenKeys>,
        wakeup: Wakeup,
        search_folder: Option<std::path::PathBuf>,
    ) -> anyhow::Result<Self> {
        let started = std::time::Instant::now();
        let mut conn = db
            .pool()
            .acquire()
            .await
            .context("loading the match index")?;
        let records = store::all_consultants(&mut conn).await?;
        let vectors: HashMap<_, _> = store::consultant_vectors(&mut conn)
            .await?
            .into_iter()
            .map(|(id, v)| (id, v.matching_form()))
            .collect();
        let ratings: HashMap<_, _> = store::rating_totals(&mut conn)
            .await?
            .into_iter()
            .map(|(id, sum, n)| (id, (sum as f32, u32::try_from(n).unwrap_or(u32::MAX))))
            .collect();
        let default_weights = store::active_weights(&mut conn).await?.unwrap_or_default();
        drop(conn);
        let read_ms = started.elapsed().as_millis();
        announce_standings(&db).await?;
        // The keyword index builds on another thread while the match index
        // builds on this one: both are CPU-bound, and start-up waits for both.
        let for_search = records.clone();
        let search = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            match search_folder {
                Some(folder) => CatalogueSearch::open_or_build(&folder, &for_search),
                None => CatalogueSearch::build(&for_search),
            }
            .map(|s| (s, started.elapsed().as_millis()))
        });
        let index_started = std::time::Instant::now();
        let index = MatchIndex::build(records, &vectors, &ratings);
        let index_ms = index_started.elapsed().as_millis();
        let (search, search_ms) = search.await.context("building the search index")??;
        tracing::info!(
            consultants = index.len(),
            read_ms,
            index_ms,
            search_ms,
            search_reused = search.reused(),
            total_ms = started.elapsed().as_millis(),
            "match and search indexes loaded"
        );
        Ok(Self {
            employees: Arc::new(employees::EmployeeViews::new(false)),
            shortlists: Arc::default(),
            db,
            tokens,
            index: Arc::new(index),
            search: Arc::new(search),
            wakeup,
            default_weights,
        })
    }

    /// Holds employees' vectors and preferences in memory when this process
    /// is the only writer of matching's tables (the embedded default: every
    /// service in one process, on its own SQLite file, with no message bus
    /// to other processes).
    pub fn holding_employees(mut self, sole_writer: bool) -> Self {
        self.employees = Arc::new(employees::EmployeeViews::new(sole_writer));
        self
    }

    /// Re-reads one consultant from the database into both indexes.
    pub async fn refresh_consultant(
        &self,
        id: domain::profile::ConsultantId,
    ) -> anyhow::Result<()> {
        let mut conn = self.db.pool().acquire().await?;
        let Some(record) = store::find_consultant(&mut conn, id).await? else {
            return Ok(());
        };
        drop(conn);
        self.index_consultant(record).await
    }

    /// Puts a consultant as stored into the match index, then the keyword
    /// index (on a blocking thread: a stored index writes to disk). An error
    /// leaves the keyword index at its last commit; the consultant's
    /// `ConsultantChanged` event tries again.
    pub async fn index_consultant(&self, record: store::ConsultantRecord) -> anyhow::Result<()> {
        self.index.upsert(record.clone());
        let search = Arc::clone(&self.search);
        tokio::task::spawn_blocking(move || search.upsert(&record))
            .await
            .context("indexing a profile")?
    }
}

/// The matching service's routes, with their OpenAPI description.
pub fn router(state: MatchingState) -> OpenApiRouter {
    api_routes().with_state(state)
}

/// The routes before their state: what the gateway needs to know (which
/// paths this service answers, and their description) to reach it over HTTP.
pub fn api_routes() -> OpenApiRouter<MatchingState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(routes::assessment::instrument))
        .routes(routes!(routes::assessment::submit))
        .routes(routes!(routes::assessment::latest))
        .routes(routes!(privacy::export))
        .routes(routes!(routes::matches::matches))
        .routes(routes!(
            routes::matches::get_preferences,
            routes::matches::put_preferences
        ))
        .routes(routes!(routes::matches::exclude))
        .routes(routes!(routes::search::search))
        .routes(routes!(routes::search::taxonomy))
        .routes(routes!(
            routes::consultants::get_own_profile,
            routes::consultants::put_own_profile
        ))
        .routes(routes!(routes::consultants::pending))
        .routes(routes!(routes::consultants::profile))
        .routes(routes!(routes::consultants::approve))
}

/// Whether the matching service is up and its database answers.
#[utoipa::path(
    get,
    path = "/api/v1/matching/status",
    tag = "matching",
    responses(
        (status = 200, description = "The service is ready", body = ServiceStatus),
        (status = 503, description = "Its database does not answer", body = ErrorBody),
    )
)]
async fn status(State(db): State<Db>) -> Result<Json<ServiceStatus>, ApiError> {
    service_status("matching", &db).await
}

/// Announces, once, the standing of consultants written before
/// `matching.consultant_changed.v1` carried it, so booking and identity know
/// who may be booked and who is suspended.
async fn announce_standings(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin_write().await?;
    let records = store::unannounced_standings(&mut tx).await?;
    for record in &records {
        crate::routes::consultants::announce(&mut tx, record).await?;
    }
    tx.commit().await?;
    if !records.is_empty() {
        tracing::info!(
            consultants = records.len(),
            "consultants' standing announced"
        );
    }
    Ok(())
}
