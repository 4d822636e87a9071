//! Who may do what in reporting, decided in one place. Reports are HR's of
//! their own org (another org's HR gets 404: its existence is not
//! revealed); the org's employees read HR's responses to them; the
//! platform-wide views (emerging and sensitive themes, the audit log) are
//! the operator's. Nothing here is ever about one person.

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
        Action::PlatformThemes | Action::ReadAudit => match caller.role {
            Role::Operator => Ok(()),
            Role::Hr | Role::Employee | Role::Consultant => Err(ApiError::forbidden()),
        },
    }
}

#[cfg(test)]
mod tests {
    use shared::ids::UserId;

    use super::*;

    fn caller(role: Role, org: Option<OrgId>) -> Caller {
        Caller {
            user_id: UserId::new(),
            role,
            org_id: org,
        }
    }

    /// The whole matrix: every role, in the org and outside it.
    #[test]
    fn only_the_orgs_own_people_reach_its_reports_and_only_operators_the_platform() {
        let org = OrgId::new();
        let other = Some(OrgId::new());
        let status = |c: &Caller, a: Action| authorize(c, a).err().map(|e| e.status().as_u16());
        let matrix = [
            (Role::Hr, Some(org), [None, None, Some(403), Some(403)]),
            (
                Role::Hr,
                other,
                [Some(404), Some(404), Some(403), Some(403)],
            ),
            (
                Role::Employee,
                Some(org),
                [Some(403), None, Some(403), Some(403)],
            ),
            (
                Role::Employee,
                other,
                [Some(403), Some(404), Some(403), Some(403)],
            ),
            (
                Role::Consultant,
                None,
                [Some(403), Some(403), Some(403), Some(403)],
            ),
            (Role::Operator, None, [Some(403), Some(403), None, None]),
        ];
        for (role, in_org, expected) in matrix {
            let c = caller(role, in_org);
            let got = [
                status(&c, Action::ReportsOf(org)),
                status(&c, Action::ResponsesOf(org)),
                status(&c, Action::PlatformThemes),
                status(&c, Action::ReadAudit),
            ];
            assert_eq!(got, expected, "{role:?} {in_org:?}");
        }
    }
}
