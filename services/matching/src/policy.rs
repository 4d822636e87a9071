//! Who may do what in matching, decided in one place.

use shared::auth::{Caller, Role};
use shared::error::ApiError;

use crate::domain::profile::{ApprovalStatus, ConsultantId};

/// Something a caller wants to do.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    /// Answer the values assessment (employees and consultants).
    AnswerAssessment,
    /// Get candidates and manage matching preferences (employees).
    GetMatches,
    /// Write one's own consultant profile.
    EditOwnProfile,
    /// Approve, reject or suspend consultants; see pending ones.
    ReviewConsultants,
    /// Read a consultant's profile in a given state.
    ReadProfile(ConsultantId, ApprovalStatus),
}

/// Allows the action or says why not (403 for a role that may never, 404
/// for a profile the caller may not know exists).
pub fn authorize(caller: &Caller, action: Action) -> Result<(), ApiError> {
    let allowed = match action {
        Action::AnswerAssessment => matches!(caller.role, Role::Employee | Role::Consultant),
        Action::GetMatches => caller.role == Role::Employee,
        Action::EditOwnProfile => caller.role == Role::Consultant,
        Action::ReviewConsultants => caller.role == Role::Operator,
        Action::ReadProfile(id, status) => {
            return if status == ApprovalStatus::Approved
                || caller.role == Role::Operator
                || caller.user_id.0 == id.0
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

#[cfg(test)]
mod tests {
    use super::*;
    use shared::ids::UserId;

    #[test]
    fn matrix() {
        let c = |role| Caller {
            user_id: UserId::new(),
            role,
            org_id: None,
        };
        let ok = |caller: Caller, action| authorize(&caller, action).is_ok();
        assert!(ok(c(Role::Employee), Action::GetMatches));
        assert!(!ok(c(Role::Hr), Action::GetMatches));
        assert!(!ok(c(Role::Consultant), Action::GetMatches));
        assert!(ok(c(Role::Consultant), Action::AnswerAssessment));
        assert!(!ok(c(Role::Hr), Action::AnswerAssessment));
        assert!(!ok(c(Role::Employee), Action::EditOwnProfile));
        assert!(ok(c(Role::Operator), Action::ReviewConsultants));
        assert!(!ok(c(Role::Hr), Action::ReviewConsultants));
        let pending = ConsultantId::new();
        let err = authorize(
            &c(Role::Employee),
            Action::ReadProfile(pending, ApprovalStatus::Pending),
        )
        .expect_err("hidden");
        assert_eq!(err.status().as_u16(), 404);
        let own = Caller {
            user_id: UserId(pending.0),
            role: Role::Consultant,
            org_id: None,
        };
        assert!(authorize(&own, Action::ReadProfile(pending, ApprovalStatus::Pending)).is_ok());
        assert!(ok(
            c(Role::Hr),
            Action::ReadProfile(pending, ApprovalStatus::Approved)
        ));
    }
}
