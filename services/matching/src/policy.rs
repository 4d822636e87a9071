//! Who may do what in matching, decided in one place.

use shared::auth::{Caller, Role};
use shared::error::ApiError;

use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::store::ConsultantRecord;

/// Something a caller wants to do.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// Answer the values assessment (employees and consultants).
    AnswerAssessment,
    /// Get candidates and manage matching preferences (employees).
    GetMatches,
    /// Write one's own consultant profile.
    EditOwnProfile,
    /// Approve, reject or suspend consultants; see pending ones.
    ReviewConsultants,
    /// Read a consultant's profile.
    ReadProfile(&'a ConsultantRecord),
}

/// Whether the caller may find a consultant at all (search, matches,
/// profile): only approved consultants, and never one tied to the caller's
/// own org if the caller is its employee — for them it does not exist.
pub fn may_find(caller: &Caller, consultant: &ConsultantRecord) -> bool {
    consultant.status == ApprovalStatus::Approved
        && !(caller.role == Role::Employee
            && caller
                .org_id
                .is_some_and(|org| consultant.profile.affiliated_org_ids.contains(&org)))
}

/// Who reads a profile, which decides what it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// The consultant themselves, or an operator: everything.
    Private,
    /// An employee choosing whom to book: the profile and the next free time.
    Client,
    /// Anyone else (HR): the profile without free times, which move whenever
    /// someone books.
    Public,
}

/// Which view of consultant `id`'s profile `caller` gets.
pub fn viewer(caller: &Caller, id: ConsultantId) -> Viewer {
    if caller.role == Role::Operator || caller.user_id.0 == id.0 {
        Viewer::Private
    } else if caller.role == Role::Employee {
        Viewer::Client
    } else {
        Viewer::Public
    }
}

/// Allows the action or says why not (403 for a role that may never, 404
/// for a profile the caller may not know exists).
pub fn authorize(caller: &Caller, action: Action<'_>) -> Result<(), ApiError> {
    let allowed = match action {
        Action::AnswerAssessment => matches!(caller.role, Role::Employee | Role::Consultant),
        Action::GetMatches => caller.role == Role::Employee,
        Action::EditOwnProfile => caller.role == Role::Consultant,
        Action::ReviewConsultants => caller.role == Role::Operator,
        Action::ReadProfile(consultant) => {
            return if may_find(caller, consultant)
                || caller.role == Role::Operator
                || caller.user_id.0 == consultant.id.0
            {
                Ok(())
            } else {
                Err(ApiError::not_found())
            };
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Whether an assessment `caller` answers is a consultant's own (their
/// vector is matched against employees') rather than an employee's.
pub fn answers_as_consultant(caller: &Caller) -> bool {
    caller.role == Role::Consultant
}

#[cfg(test)]
mod tests;
