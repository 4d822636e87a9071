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
        (
            Role::Hr,
            Some(org),
            [None, None, Some(403), Some(403), Some(403)],
        ),
        (
            Role::Hr,
            other,
            [Some(404), Some(404), Some(403), Some(403), Some(403)],
        ),
        (
            Role::Employee,
            Some(org),
            [Some(403), None, Some(403), Some(403), Some(403)],
        ),
        (
            Role::Employee,
            other,
            [Some(403), Some(404), Some(403), Some(403), Some(403)],
        ),
        (
            Role::Consultant,
            None,
            [Some(403), Some(403), Some(403), Some(403), Some(403)],
        ),
        (
            Role::Operator,
            None,
            [Some(403), Some(403), None, None, None],
        ),
    ];
    for (role, in_org, expected) in matrix {
        let c = caller(role, in_org);
        let got = [
            status(&c, Action::ReportsOf(org)),
            status(&c, Action::ResponsesOf(org)),
            status(&c, Action::PlatformThemes),
            status(&c, Action::ReadAudit),
            status(&c, Action::CurateTaxonomy),
        ];
        assert_eq!(got, expected, "{role:?} {in_org:?}");
    }
}
