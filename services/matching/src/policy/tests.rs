use super::*;
use shared::ids::{OrgId, UserId};

fn consultant(status: ApprovalStatus, affiliated: Vec<OrgId>) -> ConsultantRecord {
    let mut record = ConsultantRecord::sample(status);
    record.profile.affiliated_org_ids = affiliated;
    record
}

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
    let pending = consultant(ApprovalStatus::Pending, vec![]);
    let err = authorize(&c(Role::Employee), Action::ReadProfile(&pending)).expect_err("hidden");
    assert_eq!(err.status().as_u16(), 404);
    let own = Caller {
        user_id: UserId(pending.id.0),
        role: Role::Consultant,
        org_id: None,
    };
    assert!(authorize(&own, Action::ReadProfile(&pending)).is_ok());
    let approved = consultant(ApprovalStatus::Approved, vec![]);
    assert!(ok(c(Role::Hr), Action::ReadProfile(&approved)));
}

#[test]
fn a_consultant_tied_to_the_org_does_not_exist_for_its_employees() {
    let org = OrgId::new();
    let tied = consultant(ApprovalStatus::Approved, vec![org]);
    let employee = Caller {
        user_id: UserId::new(),
        role: Role::Employee,
        org_id: Some(org),
    };
    let elsewhere = Caller {
        org_id: Some(OrgId::new()),
        ..employee
    };
    assert!(!may_find(&employee, &tied));
    let err = authorize(&employee, Action::ReadProfile(&tied)).expect_err("hidden");
    assert_eq!(err.status().as_u16(), 404);
    assert!(may_find(&elsewhere, &tied));
    for status in [ApprovalStatus::Suspended, ApprovalStatus::Rejected] {
        assert!(!may_find(&elsewhere, &consultant(status, vec![])));
    }
}

/// A profile's free times move whenever someone books: only employees
/// choosing whom to book see them, beside the consultant and operators.
#[test]
fn each_reader_gets_the_view_of_a_profile_their_role_allows() {
    let id = ConsultantId::new();
    let as_role = |role, user: UserId| Caller {
        user_id: user,
        role,
        org_id: None,
    };
    let cases = [
        (as_role(Role::Consultant, UserId(id.0)), Viewer::Private),
        (as_role(Role::Operator, UserId::new()), Viewer::Private),
        (as_role(Role::Employee, UserId::new()), Viewer::Client),
        (as_role(Role::Hr, UserId::new()), Viewer::Public),
        (as_role(Role::Consultant, UserId::new()), Viewer::Public),
    ];
    for (caller, expected) in cases {
        assert_eq!(viewer(&caller, id), expected, "{:?}", caller.role);
        assert_eq!(
            answers_as_consultant(&caller),
            caller.role == Role::Consultant
        );
    }
}
