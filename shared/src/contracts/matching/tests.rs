use super::*;

#[test]
fn only_an_approved_consultant_outside_the_org_is_open_to_it() {
    let org = OrgId::new();
    let mut standing = ConsultantStanding {
        status: ApprovalStatus::Approved,
        affiliated_org_ids: vec![],
        as_of: 0,
    };
    assert!(standing.open_to(Some(org)));
    standing.affiliated_org_ids.push(org);
    assert!(!standing.open_to(Some(org)));
    assert!(standing.open_to(Some(OrgId::new())));
    for status in [
        ApprovalStatus::Pending,
        ApprovalStatus::Rejected,
        ApprovalStatus::Suspended,
    ] {
        let s = ConsultantStanding {
            status,
            affiliated_org_ids: vec![],
            as_of: 0,
        };
        assert!(!s.open_to(Some(OrgId::new())));
    }
}
