#[test]
fn a_broken_contract_is_described_without_its_values() {
    let wrong_type =
        serde_json::from_value::<crate::contracts::ContactChanged>(serde_json::json!({
            "user_id": crate::ids::UserId::new(), "email": 42, "display_name": "hana@example.com"
        }))
        .expect_err("a number is no address");
    let text = broken_contract(&wrong_type);
    assert!(!text.contains("42") && !text.contains("hana"), "{text}");
    let missing = serde_json::from_value::<crate::contracts::UserErased>(serde_json::json!({}))
        .expect_err("no user");
    assert_eq!(broken_contract(&missing), "missing field `user_id`");
}

use super::{broken_contract, topic_matches};

#[test]
fn topics_match_exactly_or_by_prefix() {
    assert!(topic_matches(
        "identity.user_created.v1",
        "identity.user_created.v1"
    ));
    assert!(topic_matches("identity.*", "identity.user_created.v1"));
    assert!(!topic_matches("identity.*", "booking.confirmed.v1"));
    assert!(!topic_matches("identity.user", "identity.user_created.v1"));
}
