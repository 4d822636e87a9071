//! Contracts identity (the gateway) publishes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Contract;
use crate::ids::{OrgId, UserId};

/// `identity.user_erased.v1`: a person erased their account; every service
/// erases what it holds, and every gateway refuses their tokens at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserErased {
    /// Who.
    pub user_id: UserId,
    /// Their org, if any.
    #[serde(default)]
    pub org_id: Option<OrgId>,
}

impl Contract for UserErased {
    const TOPIC: &'static str = "identity.user_erased.v1";
}

/// The coarse attributes HR gave an employee, passed to reporting only for
/// sessions whose employee consented to cohort reporting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    /// Department or division, 1–60 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// An age band such as `30s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<String>,
}

/// `identity.contact_changed.v1`: a person's address, name or cohort is new
/// or changed. Booking emails them, keeps their names out of shared
/// summaries, and passes the cohort on when the employee consents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChanged {
    /// Who.
    pub user_id: UserId,
    /// Their org (none for consultants and operators).
    #[serde(default)]
    pub org_id: Option<OrgId>,
    /// Where booking emails go.
    pub email: String,
    /// The name they chose to be shown.
    pub display_name: String,
    /// Cohort attributes, if HR gave any.
    #[serde(default)]
    pub cohort: Option<Cohort>,
    /// Full name, if HR gave it (kept out of shared summaries).
    #[serde(default)]
    pub full_name: Option<String>,
    /// Its reading (furigana), if HR gave it.
    #[serde(default)]
    pub name_reading: Option<String>,
}

impl Contract for ContactChanged {
    const TOPIC: &'static str = "identity.contact_changed.v1";
}

/// `identity.cohort_sizes.v1`: how many employees an org has in each group
/// of each cohort dimension (reporting lists only groups large enough). No
/// person is named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSizes {
    /// The org.
    pub org_id: OrgId,
    /// When they were counted (epoch ms): older counts never replace newer.
    pub as_of: i64,
    /// Dimension (`department`, `age_band`) → group → employees.
    pub dimensions: BTreeMap<String, BTreeMap<String, i64>>,
}

impl Contract for CohortSizes {
    const TOPIC: &'static str = "identity.cohort_sizes.v1";
}
