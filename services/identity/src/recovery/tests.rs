use shared::ids::UserId;

use super::{digest, looks_like_one};

#[test]
fn a_code_is_read_as_typed_and_bound_to_its_account() {
    let (a, b) = (UserId::new(), UserId::new());
    assert_eq!(digest(a, "abcde fgh23"), digest(a, "ABCDE-FGH23"));
    assert_ne!(digest(a, "ABCDE-FGH23"), digest(b, "ABCDE-FGH23"));
    assert!(looks_like_one("abcde-fgh23"));
    assert!(!looks_like_one("123 456"));
}
