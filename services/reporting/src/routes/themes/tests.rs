/// Booking validates record themes against `shared::themes`; the taxonomy
/// this service seeds must hold exactly those codes.
#[test]
fn the_seeded_taxonomy_is_the_shared_contract() {
    let sql = include_str!("../../../../../migrations/reporting/4000002_reporting_core.sql");
    let seeded: Vec<&str> = sql
        .lines()
        .filter_map(|l| l.trim().strip_prefix("('"))
        .filter_map(|l| l.split('\'').next())
        .collect();
    assert_eq!(seeded, shared::themes::THEME_CODES);
    let sensitive: Vec<&str> = sql
        .lines()
        .filter_map(|l| l.trim().strip_prefix("('"))
        .filter(|l| l.trim_end_matches([',', ';', ')']).ends_with(" 1"))
        .filter_map(|l| l.split('\'').next())
        .collect();
    assert_eq!(sensitive, shared::themes::SENSITIVE_CODES);
}
