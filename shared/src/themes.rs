//! The theme codes consultants tag sessions with: a contract between booking
//! (which validates a record's themes) and reporting (which owns the
//! taxonomy, its labels and which themes are sensitive, in its migrations).
//! A test in reporting checks that its taxonomy has exactly these codes.

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
/// carry the consented crisis-path flag.
pub const SENSITIVE_CODES: [&str; 2] = ["health", "harassment"];

/// Whether `code` is a sensitive theme.
pub fn is_sensitive(code: &str) -> bool {
    SENSITIVE_CODES.contains(&code)
}

/// Whether `code` is in the taxonomy.
pub fn is_theme(code: &str) -> bool {
    THEME_CODES.contains(&code)
}
