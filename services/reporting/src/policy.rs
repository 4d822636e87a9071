//! Who may do what in reporting, decided in one place. Reports are HR's of
//! their own org (another org's HR gets 404: its existence is not
//! revealed); the org's employees read HR's responses to them; the
//! platform-wide views (emerging and sensitive themes, the audit log) and
//! the curation of the taxonomy are the operator's. Nothing here is ever about one person.

use shared::auth::{Caller, Role};
use shared::error::ApiError;
use shared::ids::OrgId;

/// Something a caller wants to do.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    /// Read an org's reports (themes, usage, CSV) or answer them with a
    /// response to the employees.
    ReportsOf(OrgId),
    /// Read the responses HR published to an org's employees.
    ResponsesOf(OrgId),
    /// See themes across every org (emerging and sensitive themes).
    PlatformThemes,
    /// Read reporting's audit log.
    ReadAudit,
    /// Add, rename, retire or reinstate themes of the taxonomy.
    CurateTaxonomy,
}

/// Allows the action or says why not.
pub fn authorize(caller: &Caller, action: Action) -> Result<(), ApiError> {
    let in_org = |org: OrgId| caller.org_id == Some(org);
    match action {
        Action::ReportsOf(org) => match caller.role {
            Role::Hr if in_org(org) => Ok(()),
            Role::Hr => Err(ApiError::not_found()),
            Role::Employee | Role::Consultant | Role::Operator => Err(ApiError::forbidden()),
        },
        Action::ResponsesOf(org) => match caller.role {
            Role::Hr | Role::Employee if in_org(org) => Ok(()),
            Role::Hr | Role::Employee => Err(ApiError::not_found()),
            Role::Consultant | Role::Operator => Err(ApiError::forbidden()),
        },
        Action::PlatformThemes | Action::ReadAudit | Action::CurateTaxonomy => match caller.role {
            Role::Operator => Ok(()),
            Role::Hr | Role::Employee | Role::Consultant => Err(ApiError::forbidden()),
        },
    }
}

#[cfg(test)]
mod tests;
