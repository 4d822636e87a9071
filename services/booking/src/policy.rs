//! Who may do what in booking, decided in one place. HR never reaches a
//! booking; a booking is visible only to its employee and its consultant, and
//! anyone else gets 404 (its existence is not revealed).

use axum::http::StatusCode;
use shared::auth::{Caller, Role};
use shared::contracts::ConsultantStanding;
use shared::error::ApiError;
use shared::ids::{OrgId, UserId};

use crate::store::BookingRecord;

/// Something a caller wants to do.
#[derive(Clone, Copy, Debug)]
pub enum Action<'a> {
    /// Set one's own availability.
    EditOwnAvailability,
    /// See a consultant's open slots.
    SeeSlots,
    /// Book a session.
    Book,
    /// List one's own bookings.
    ListOwn,
    /// Read, cancel or reschedule one booking.
    Touch(&'a BookingRecord),
    /// Act as the booking's employee: rate it, book follow-ups.
    EmployeeOf(&'a BookingRecord),
    /// Act as the booking's consultant: the record, attendance, the
    /// client's action items.
    ConsultantOf(&'a BookingRecord),
    /// Keep one's own action items (employees).
    KeepActionItems,
    /// Keep one's own name deny list (consultants).
    EditDenyList,
    /// Read booking's audit log of private-note reads.
    ReadAudit,
    /// Read an org's credit balance.
    ReadCredits(OrgId),
    /// Grant credits by hand.
    GrantCredits {
        /// To which org.
        org: OrgId,
        /// Whether a payment provider is configured: then HR buys credits
        /// and only operators grant them.
        payments: bool,
    },
    /// Buy a credit pack for an org.
    BuyCredits(OrgId),
    /// Read or set an org's support contact (the crisis path's occupational
    /// physician or EAP).
    SupportContactOf(OrgId),
    /// Export one's own data (employees).
    ExportOwnData,
    /// See or take a consultant's time (slots, booking, moving, follow-ups),
    /// given their standing from matching.
    UseCalendarOf {
        /// Whose calendar.
        consultant: UserId,
        /// Their approval and affiliations, if matching announced them.
        standing: Option<&'a ConsultantStanding>,
    },
}

/// Allows the action or says why not.
pub fn authorize(caller: &Caller, action: Action<'_>) -> Result<(), ApiError> {
    let allowed = match action {
        Action::EditOwnAvailability => caller.role == Role::Consultant,
        Action::SeeSlots => matches!(
            caller.role,
            Role::Employee | Role::Consultant | Role::Operator
        ),
        Action::Book | Action::ExportOwnData | Action::KeepActionItems => {
            caller.role == Role::Employee
        }
        Action::EditDenyList => caller.role == Role::Consultant,
        Action::ReadAudit => caller.role == Role::Operator,
        Action::EmployeeOf(b) => {
            authorize(caller, Action::Touch(b))?;
            caller.role == Role::Employee
        }
        Action::ConsultantOf(b) => {
            authorize(caller, Action::Touch(b))?;
            caller.role == Role::Consultant
        }
        Action::ListOwn => matches!(caller.role, Role::Employee | Role::Consultant),
        Action::Touch(b) => {
            return match caller.role {
                Role::Employee if b.employee_id == caller.user_id => Ok(()),
                Role::Consultant if b.consultant_id == caller.user_id => Ok(()),
                Role::Hr | Role::Operator => Err(ApiError::forbidden()),
                _ => Err(ApiError::not_found()),
            };
        }
        Action::BuyCredits(org) => {
            return match caller.role {
                Role::Hr if caller.org_id == Some(org) => Ok(()),
                Role::Hr => Err(ApiError::not_found()),
                Role::Employee | Role::Consultant | Role::Operator => Err(ApiError::forbidden()),
            };
        }
        Action::UseCalendarOf {
            consultant,
            standing,
        } => {
            // A consultant who is not approved, or is tied to the employee's
            // org, does not exist for them: 404, as for no one.
            let open = match caller.role {
                Role::Operator => true,
                _ if caller.user_id == consultant => true,
                Role::Employee => standing.is_some_and(|s| s.open_to(caller.org_id)),
                Role::Consultant => standing.is_some_and(|s| s.open_to(None)),
                Role::Hr => return Err(ApiError::forbidden()),
            };
            return if open {
                Ok(())
            } else {
                Err(ApiError::not_found())
            };
        }
        Action::SupportContactOf(org) => {
            return match caller.role {
                Role::Operator => Ok(()),
                Role::Hr if caller.org_id == Some(org) => Ok(()),
                Role::Hr => Err(ApiError::not_found()),
                Role::Employee | Role::Consultant => Err(ApiError::forbidden()),
            };
        }
        Action::ReadCredits(org) | Action::GrantCredits { org, .. } => {
            return match caller.role {
                Role::Operator => Ok(()),
                Role::Hr if caller.org_id == Some(org) => match action {
                    Action::GrantCredits { payments: true, .. } => Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "buy_credits_instead",
                        "credits are bought through POST /api/v1/orgs/{org_id}/billing/checkout here",
                    )),
                    _ => Ok(()),
                },
                Role::Hr => Err(ApiError::not_found()),
                Role::Employee | Role::Consultant => Err(ApiError::forbidden()),
            };
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Whether `caller` may change a booking only until the cancellation
/// cutoff: employees are; consultants may change their sessions any time.
pub fn bound_by_cutoff(caller: &Caller) -> bool {
    caller.role == Role::Employee
}

/// Whose side of their bookings `caller` lists: an employee's own
/// bookings, or a consultant's sessions with clients.
pub fn lists_as_employee(caller: &Caller) -> bool {
    caller.role == Role::Employee
}

/// Whether `caller` is told if feedback was given on `booking`, and
/// whether it was flagged so that its employee is offered support: its
/// employee only (never its consultant, HR or anyone else).
pub fn sees_feedback_given(caller: &Caller, booking: &BookingRecord) -> bool {
    caller.role == Role::Employee && booking.employee_id == caller.user_id
}

#[cfg(test)]
mod tests;
