//! Who may do what in booking, decided in one place. HR never reaches a
//! booking; a booking is visible only to its employee and its consultant, and
//! anyone else gets 404 (its existence is not revealed).

use shared::auth::{Caller, Role};
use shared::error::ApiError;
use shared::ids::OrgId;

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
