//! The booking service: availability and slots, race-free confidential
//! bookings, org session credits, and the events matching and reporting read.
//!
//! It is a library exposing its axum router and state; the `taiwa` binary
//! runs it in-process (the embedded default) or alone (`--service booking`).

#[cfg(any(test, feature = "bench"))]
pub mod bench;
pub mod billing;
pub mod booking;
pub mod crypto;
#[cfg(any(test, feature = "demo"))]
pub mod demo;
pub mod domain;
pub mod events;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod handoff;
pub mod notify;
pub mod policy;
pub mod privacy;
pub mod reminders;
pub mod rooms;
pub mod routes;
pub mod scrub;
pub mod standing;
pub mod store;
pub mod taxonomy;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{FromRef, State};
use shared::auth::TokenKeys;
use shared::db::Db;
use shared::error::{ApiError, ErrorBody};
use shared::events::{Inbox, Outbox, Wakeup};
use shared::http::{Json, ServiceStatus, service_status};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The booking service's migrations (`migrations/booking`); its tables are `booking_*`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/booking");

/// Events this service emits, written in the same transaction as its changes.
pub const OUTBOX: Outbox = Outbox::new("booking_outbox");

/// Pins the organisations' zone in `booking_settings` (see
/// [`shared::time::pin_org_zone`]): refused when this database was counted
/// in another.
pub async fn pin_time_zone(db: &Db, zone: chrono_tz::Tz) -> anyhow::Result<()> {
    let mut conn = db.pool().acquire().await?;
    shared::time::pin_org_zone(&mut conn, "booking_settings", zone).await
}

/// Reads of private notes, audited.
pub const AUDIT: shared::audit::AuditLog = shared::audit::AuditLog::new("booking_audit");

/// Events this service has applied, for idempotent consumption.
pub const INBOX: Inbox = Inbox::new("booking_inbox");

/// Booking policy settings.
#[derive(Clone, Copy, Debug)]
pub struct BookingSettings {
    /// Employees cannot cancel or reschedule later than this before the start.
    pub cancellation_cutoff: Duration,
    /// Private notes are erased this many days after the record was written.
    pub notes_retention_days: u32,
    /// Smallest number of distinct people whose credit uses are shown
    /// together (the report's k).
    pub privacy_k: usize,
}

impl Default for BookingSettings {
    fn default() -> Self {
        Self {
            cancellation_cutoff: Duration::from_secs(24 * 3600),
            notes_retention_days: 3 * 365,
            privacy_k: 10,
        }
    }
}

/// What the booking handlers share.
#[derive(Clone, FromRef)]
pub struct BookingState {
    /// This service's database.
    pub db: Db,
    /// Verifies callers' access tokens.
    pub tokens: Arc<TokenKeys>,
    /// Wakes the event dispatcher after a commit.
    pub wakeup: Wakeup,
    /// Policy settings.
    pub settings: BookingSettings,
    /// Wraps the per-employee keys of private notes; keys the hand-off pseudonyms.
    pub master: Arc<crypto::MasterKey>,
    /// Stripe, when credits are sold; `None` means they are granted by hand.
    pub payments: Option<Arc<taiwa_stripe::Stripe>>,
    /// Base URL people reach Taiwa at (Stripe's return links).
    pub public_url: String,
    /// Each booking's own meeting room and join link.
    pub rooms: rooms::Rooms,
}

/// The booking service's routes, with their OpenAPI description.
pub fn router(state: BookingState) -> OpenApiRouter {
    api_routes().with_state(state)
}

/// The routes before their state: what the gateway needs to know (which
/// paths this service answers, and their description) to reach it over HTTP.
pub fn api_routes() -> OpenApiRouter<BookingState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(
            routes::availability::get_own,
            routes::availability::put_own
        ))
        .routes(routes!(routes::availability::add_override))
        .routes(routes!(routes::availability::slots))
        .routes(routes!(routes::bookings::create, routes::bookings::list))
        .routes(routes!(routes::bookings::get_one))
        .routes(routes!(routes::rooms::enter))
        .routes(routes!(routes::bookings::cancel))
        .routes(routes!(routes::bookings::reschedule))
        .routes(routes!(routes::attendance::no_show))
        .routes(routes!(routes::feedback::feedback))
        .routes(routes!(routes::support::offer, routes::support::ask))
        .routes(routes!(
            routes::support::contact,
            routes::support::set_contact
        ))
        .routes(routes!(routes::record::write, routes::record::read))
        .routes(routes!(routes::continuity::mine))
        .routes(routes!(routes::continuity::tick))
        .routes(routes!(routes::continuity::for_booking))
        .routes(routes!(routes::continuity::follow_ups))
        .routes(routes!(routes::credits::balance))
        .routes(routes!(routes::credits::grant))
        .routes(routes!(
            routes::deny_list::get_own,
            routes::deny_list::put_own
        ))
        .routes(routes!(routes::audit::list))
        .routes(routes!(privacy::export))
        .routes(routes!(routes::billing::packs))
        .routes(routes!(routes::billing::checkout))
        .routes(routes!(routes::billing::webhook))
}

/// Whether the booking service is up and its database answers.
#[utoipa::path(
    get,
    path = "/api/v1/booking/status",
    tag = "booking",
    responses(
        (status = 200, description = "The service is ready", body = ServiceStatus),
        (status = 503, description = "Its database does not answer", body = ErrorBody),
    )
)]
async fn status(State(db): State<Db>) -> Result<Json<ServiceStatus>, ApiError> {
    service_status("booking", &db).await
}
