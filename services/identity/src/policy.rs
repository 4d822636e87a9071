//! Who may do what in identity, decided in one place.

use shared::auth::{Caller, Role};
use shared::error::ApiError;
use shared::ids::OrgId;

/// Something a caller wants to do.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    /// Invite people into an org, or list its invitations.
    ManageInvitations(OrgId),
    /// List client orgs or create one (operators).
    ManageOrgs,
    /// Erase one's own account (employees; others ask an operator).
    EraseOwnAccount,
    /// Let another operator set up their second factor (operators).
    IssueEnrolmentCode,
}

/// Allows the action or says why not: another org's objects are 404 (their
/// existence is not revealed), a role that may never do it is 403.
pub fn authorize(caller: &Caller, action: Action) -> Result<(), ApiError> {
    match action {
        Action::ManageInvitations(org) => match caller.role {
            Role::Operator => Ok(()),
            Role::Hr if caller.org_id == Some(org) => Ok(()),
            Role::Hr => Err(ApiError::not_found()),
            Role::Employee | Role::Consultant => Err(ApiError::forbidden()),
        },
        Action::EraseOwnAccount => match caller.role {
            Role::Employee => Ok(()),
            Role::Hr | Role::Operator | Role::Consultant => Err(ApiError::forbidden()),
        },
        Action::ManageOrgs | Action::IssueEnrolmentCode => match caller.role {
            Role::Operator => Ok(()),
            Role::Hr | Role::Employee | Role::Consultant => Err(ApiError::forbidden()),
        },
    }
}

#[cfg(test)]
mod tests;
