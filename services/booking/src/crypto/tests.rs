use super::*;

#[test]
fn notes_round_trip_and_need_the_right_keys() {
    let master = MasterKey::from_secret(&SecretString::from("m".repeat(40)));
    let (key, wrapped) = master.new_data_key().expect("key");
    let sealed = encrypt(&key, "転職を迷っている").expect("encrypt");
    assert!(!sealed.contains("転職"));
    assert_eq!(
        decrypt(&master.unwrap_data_key(&wrapped).expect("unwrap"), &sealed).expect("decrypt"),
        "転職を迷っている"
    );
    let other = MasterKey::from_secret(&SecretString::from("x".repeat(40)));
    assert!(
        other.unwrap_data_key(&wrapped).is_err(),
        "another master key cannot unwrap"
    );
    let (other_key, _) = master.new_data_key().expect("key");
    assert!(
        decrypt(&other_key, &sealed).is_err(),
        "another data key cannot decrypt"
    );
}

#[test]
fn pseudonyms_are_stable_within_a_period_and_unlinkable_across() {
    let master = MasterKey::from_secret(&SecretString::from("m".repeat(40)));
    let a = master.pseudonym("org-1/2026-11", "employee-7");
    assert_eq!(a, master.pseudonym("org-1/2026-11", "employee-7"));
    assert_ne!(a, master.pseudonym("org-1/2026-12", "employee-7"));
    assert_ne!(a, master.pseudonym("org-1/2026-11", "employee-8"));
    assert_eq!(a.len(), 64);
}
