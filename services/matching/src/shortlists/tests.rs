use shared::ids::UserId;

use super::Shortlists;
use crate::domain::profile::ConsultantId;

fn ids(range: std::ops::Range<u128>) -> Vec<ConsultantId> {
    range
        .map(|n| ConsultantId(uuid::Uuid::from_u128(n)))
        .collect()
}

#[test]
fn pages_continue_what_was_shown_and_page_one_starts_again() {
    let lists = Shortlists::default();
    let (ann, ben) = (
        UserId(uuid::Uuid::from_u128(1)),
        UserId(uuid::Uuid::from_u128(2)),
    );
    assert!(lists.shown(ann, 10).is_empty(), "nothing held yet");
    lists.record(ann, 0, &ids(0..10));
    lists.record(ann, 10, &ids(10..20));
    assert_eq!(lists.shown(ann, 10), ids(0..10));
    assert_eq!(lists.shown(ann, 20), ids(0..20));
    assert_eq!(
        lists.shown(ann, 30),
        ids(0..20),
        "never more than was shown"
    );
    assert!(
        lists.shown(ben, 10).is_empty(),
        "one employee's list is theirs"
    );
    // Page 2 asked again replaces what followed page 1.
    lists.record(ann, 10, &ids(50..60));
    assert_eq!(lists.shown(ann, 20), [ids(0..10), ids(50..60)].concat());
    // Page 1 starts a new list.
    lists.record(ann, 0, &ids(90..95));
    assert_eq!(lists.shown(ann, 20), ids(90..95));
    lists.forget(ann);
    assert!(lists.shown(ann, 10).is_empty(), "forgotten on erasure");
}
