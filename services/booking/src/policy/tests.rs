use chrono::Utc;

use super::*;
use crate::domain::booking::{BookingId, BookingStatus};

fn caller(role: Role, user_id: UserId, org: Option<OrgId>) -> Caller {
    Caller {
        user_id,
        role,
        org_id: org,
    }
}

fn status(c: &Caller, a: Action<'_>) -> Option<u16> {
    authorize(c, a).err().map(|e| e.status().as_u16())
}

/// Who acts on one booking: its employee, its consultant, a stranger of
/// each role, HR of the org and an operator.
#[test]
fn only_the_bookings_own_participants_act_on_it_each_in_their_part() {
    let org = OrgId::new();
    let b = BookingRecord {
        id: BookingId::new(),
        consultant_id: UserId::new(),
        employee_id: UserId::new(),
        org_id: org,
        starts_at: Utc::now(),
        ends_at: Utc::now(),
        status: BookingStatus::Confirmed,
        nickname: None,
        agenda: None,
        idempotency_key: None,
        rescheduled_to: None,
    };
    // Whether feedback was given: the booking's employee alone is told.
    let told = [
        (caller(Role::Employee, b.employee_id, Some(org)), true),
        (caller(Role::Consultant, b.consultant_id, None), false),
        (caller(Role::Employee, UserId::new(), Some(org)), false),
        (caller(Role::Hr, b.employee_id, Some(org)), false),
        (caller(Role::Operator, UserId::new(), None), false),
    ];
    for (who, expected) in told {
        assert_eq!(sees_feedback_given(&who, &b), expected, "{:?}", who.role);
    }
    // (who, [Touch, EmployeeOf, ConsultantOf])
    let matrix = [
        (
            caller(Role::Employee, b.employee_id, Some(org)),
            [None, None, Some(403)],
        ),
        (
            caller(Role::Consultant, b.consultant_id, None),
            [None, Some(403), None],
        ),
        (
            caller(Role::Employee, UserId::new(), Some(org)),
            [Some(404); 3],
        ),
        (
            caller(Role::Consultant, UserId::new(), None),
            [Some(404); 3],
        ),
        (caller(Role::Hr, UserId::new(), Some(org)), [Some(403); 3]),
        (caller(Role::Operator, UserId::new(), None), [Some(403); 3]),
    ];
    for (who, expected) in matrix {
        let got = [
            status(&who, Action::Touch(&b)),
            status(&who, Action::EmployeeOf(&b)),
            status(&who, Action::ConsultantOf(&b)),
        ];
        assert_eq!(got, expected, "{:?}", who.role);
    }
}

#[test]
fn with_payments_hr_buys_credits_and_only_operators_grant_them() {
    let org = OrgId::new();
    let hr = caller(Role::Hr, UserId::new(), Some(org));
    let operator = caller(Role::Operator, UserId::new(), None);
    let grant = |payments| Action::GrantCredits { org, payments };
    assert_eq!(status(&hr, grant(false)), None);
    let refused = match authorize(&hr, grant(true)) {
        Err(ApiError::Expected { status, code, .. }) => Some((status.as_u16(), code)),
        _ => None,
    };
    assert_eq!(refused, Some((403, "buy_credits_instead")));
    assert_eq!(status(&operator, grant(true)), None);
    let other_hr = caller(Role::Hr, UserId::new(), Some(OrgId::new()));
    assert_eq!(status(&other_hr, grant(false)), Some(404));
    let employee = caller(Role::Employee, UserId::new(), Some(org));
    assert_eq!(status(&employee, grant(false)), Some(403));
}

#[test]
fn single_role_actions_belong_to_their_role() {
    let org = Some(OrgId::new());
    for role in [Role::Employee, Role::Consultant, Role::Hr, Role::Operator] {
        let c = caller(role, UserId::new(), org);
        let allowed = |a| status(&c, a).is_none();
        assert_eq!(allowed(Action::KeepActionItems), role == Role::Employee);
        assert_eq!(allowed(Action::EditDenyList), role == Role::Consultant);
        assert_eq!(allowed(Action::ReadAudit), role == Role::Operator);
        assert_eq!(bound_by_cutoff(&c), role == Role::Employee);
        assert_eq!(lists_as_employee(&c), role == Role::Employee);
    }
}
