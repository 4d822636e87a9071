//! Identity's handlers, mirroring the URL tree under `/api/v1`.

pub mod auth;
pub mod data;
pub mod invitations;
pub mod me;
pub mod mfa;
pub mod orgs;
