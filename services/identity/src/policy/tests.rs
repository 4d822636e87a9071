use super::*;
use shared::ids::UserId;

#[test]
fn invitation_matrix() {
    let org = OrgId::new();
    let other = OrgId::new();
    let caller = |role, org_id| Caller {
        user_id: UserId::new(),
        role,
        org_id,
    };
    let status = |c: Caller| {
        authorize(&c, Action::ManageInvitations(org))
            .err()
            .map(|e| e.status().as_u16())
    };
    assert_eq!(status(caller(Role::Hr, Some(org))), None);
    assert_eq!(status(caller(Role::Operator, None)), None);
    assert_eq!(status(caller(Role::Hr, Some(other))), Some(404));
    assert_eq!(status(caller(Role::Employee, Some(org))), Some(403));
    assert_eq!(status(caller(Role::Consultant, None)), Some(403));
    for role in [Role::Hr, Role::Employee, Role::Consultant] {
        let c = caller(role, Some(org));
        assert_eq!(
            authorize(&c, Action::ManageOrgs)
                .err()
                .map(|e| e.status().as_u16()),
            Some(403)
        );
    }
    assert!(authorize(&caller(Role::Operator, None), Action::ManageOrgs).is_ok());
}

#[test]
fn only_operators_must_keep_a_second_factor() {
    for role in [Role::Employee, Role::Consultant, Role::Hr, Role::Operator] {
        let operator = role == Role::Operator;
        assert_eq!(second_factor_required(role), operator, "{role:?}");
        assert_eq!(enrolment_needs_code(role), operator, "{role:?}");
        assert_eq!(
            may_remove_second_factor(role)
                .err()
                .map(|e| e.status().as_u16()),
            operator.then_some(403),
            "{role:?}"
        );
    }
}
