//! Taiwa's gateway: identity (orgs, people, login, tokens, invitations), the
//! web pages, the OpenAPI description, operations endpoints, and the wiring
//! that runs every service in one process (the embedded default) or one
//! service alone.

pub mod app;
pub mod bench_outbox;
pub mod bench_web;
pub mod cli;
pub mod demo;
#[doc(hidden)]
pub mod fuzzing;
pub mod identity;
pub mod openapi;
pub mod ops;
pub mod pages;
pub mod proxy;
pub mod topology;

pub use app::{Application, ServiceSelection};
