//! Who may do what in booking, decided in one place. HR never reaches a
//! booking; a booking is visible only to its employee and its consultant, and
//! anyone else gets 404 (its existence is not revealed).

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
    /// Read an org's credit balance.
    ReadCredits(OrgId),
    /// Grant credits by hand (no payment provider).
    GrantCredits(OrgId),
    /// Buy a credit pack for an org.
    BuyCredits(OrgId),
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
        Action::Book | Action::ExportOwnData => caller.role == Role::Employee,
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
        Action::ReadCredits(org) | Action::GrantCredits(org) => {
            return match caller.role {
                Role::Operator => Ok(()),
                Role::Hr if caller.org_id == Some(org) => Ok(()),
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
