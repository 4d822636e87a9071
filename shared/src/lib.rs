//! What Taiwa's services really share: configuration, the one error shape, token
//! verification and the `Caller` extractor, the database seam, the event outbox,
//! mail delivery, the HTTP middleware stack, telemetry, ids and time helpers.
//!
//! Nothing persistent lives here: every table belongs to one service.

pub mod audit;
pub mod auth;
pub mod client_addr;
pub mod config;
pub mod contracts;
pub mod csv;
pub mod db;
pub mod error;
pub mod events;
pub mod http;
pub mod ids;
pub mod mail;
pub mod quarters;
pub mod sealed;
pub mod server;
pub mod service_auth;
pub mod telemetry;
pub mod themes;
pub mod time;

pub use error::ApiError;
