//! Taiwa's gateway: the wiring that runs every service in one process (the
//! embedded default) or one service alone, the proxy in front of them, the
//! web pages' glue, the OpenAPI description and the operations endpoints.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench_outbox;
#[cfg(feature = "bench")]
pub mod bench_startup;
#[cfg(feature = "bench")]
pub mod bench_web;
pub mod cli;
#[cfg(feature = "demo")]
pub mod demo;
pub mod openapi;
pub mod ops;
pub mod pages;
pub mod proxy;
pub mod topology;

pub use app::{Application, ServiceSelection};
