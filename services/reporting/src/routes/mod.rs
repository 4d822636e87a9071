//! Reporting's handlers, mirroring the URL tree under `/api/v1`.

pub mod operator;
pub mod reports;
pub mod responses;
pub mod themes;
