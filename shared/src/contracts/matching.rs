//! Contracts matching publishes.

use serde::{Deserialize, Serialize};

use super::Contract;
use crate::ids::{OrgId, UserId};

/// Where a consultant stands with the operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApprovalStatus {
    /// Waiting for the operator to check the qualification.
    Pending,
    /// Checked: can be matched, found and booked.
    Approved,
    /// Not accepted.
    Rejected,
    /// Withdrawn by the operator: their future sessions are cancelled and they
    /// sign in only to a notice.
    Suspended,
}

impl ApprovalStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            "suspended" => Some(Self::Suspended),
            _ => None,
        }
    }
}

/// `matching.consultant_changed.v1`: a consultant's profile, approval or
/// values vector changed. Matching replicas reload the consultant; booking
/// keeps who may be booked by whom; identity keeps who is suspended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultantChanged {
    /// Who changed.
    pub consultant_id: UserId,
    /// Approval and the client orgs they are tied to (absent in payloads
    /// from before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standing: Option<ConsultantStanding>,
}

impl Contract for ConsultantChanged {
    const TOPIC: &'static str = "matching.consultant_changed.v1";
}

/// Whether a consultant may be found and booked, and by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultantStanding {
    /// Approval.
    pub status: ApprovalStatus,
    /// Client orgs the consultant is tied to: invisible to their employees.
    #[serde(default)]
    pub affiliated_org_ids: Vec<OrgId>,
    /// When matching last changed the consultant (epoch ms): a standing older
    /// than one already applied is ignored, so a redelivered event can never
    /// undo a newer decision.
    #[serde(default)]
    pub as_of: i64,
}

impl ConsultantStanding {
    /// Whether an employee of `org` may find and book this consultant.
    pub fn open_to(&self, org: Option<OrgId>) -> bool {
        self.status == ApprovalStatus::Approved
            && org.is_none_or(|o| !self.affiliated_org_ids.contains(&o))
    }
}

#[cfg(test)]
mod tests;
