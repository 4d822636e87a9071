use super::*;

#[test]
fn text_round_trips_only_under_its_key() {
    let (key, other) = ([7u8; 32], [8u8; 32]);
    let stored = seal_text(&key, "秘密 secret").expect("seal");
    assert_eq!(open_text(&key, &stored).expect("open"), "秘密 secret");
    assert!(open_text(&other, &stored).is_err());
    assert_ne!(
        seal_text(&key, "x").expect("seal"),
        seal_text(&key, "x").expect("seal")
    );
}
