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

/// Whether people of `role` must have a second factor (operators): shown
/// on their status, and the reason for the two rules below.
pub fn second_factor_required(role: Role) -> bool {
    role.requires_second_factor()
}

/// Whether setting up a second factor takes an enrolment code from another
/// operator (or the server): for roles that must have one, so a stolen
/// password alone cannot put an attacker's authenticator on the account.
pub fn enrolment_needs_code(role: Role) -> bool {
    second_factor_required(role)
}

/// Removing one's second factor: refused (403 `mfa_required_for_role`) to
/// roles that must keep one.
pub fn may_remove_second_factor(role: Role) -> Result<(), ApiError> {
    if second_factor_required(role) {
        return Err(ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "mfa_required_for_role",
            "operators must keep a second factor",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
