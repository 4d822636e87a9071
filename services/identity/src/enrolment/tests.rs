use super::{digest, normalise};

#[test]
fn codes_are_read_as_typed() {
    assert_eq!(normalise("abcde-fgh23"), "ABCDEFGH23");
    assert_eq!(digest("ABCDE FGH23"), digest("abcde-fgh23"));
    assert_ne!(digest("ABCDE-FGH23"), digest("ABCDE-FGH24"));
}
