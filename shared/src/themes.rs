//! The theme taxonomy both services start from: reporting owns it (labels,
//! sensitivity, and the operators' changes, published whole on
//! `reporting.taxonomy_changed.v1`), booking keeps a copy to check a
//! record's themes. Each seeds these codes in its migrations; tests in both
//! check that the seeds are exactly these.

/// Every theme code, in the taxonomy's order.
pub const THEME_CODES: [&str; 13] = [
    "career_direction",
    "skills",
    "workload",
    "manager_relationship",
    "team_relationships",
    "evaluation",
    "pay",
    "transfer",
    "life_events",
    "job_change",
    "second_career",
    "health",
    "harassment",
];

/// The sensitive themes: never in HR reports; a record with one of them may
/// carry the consented crisis-path flag. Fixed: operators may rename them,
/// not retire them, and the themes they add are never sensitive.
pub const SENSITIVE_CODES: [&str; 2] = ["health", "harassment"];
