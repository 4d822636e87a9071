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
