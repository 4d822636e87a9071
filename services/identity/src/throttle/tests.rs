use super::{ThrottleKey, account_key, growing_wait, network_of, pair_key};

#[test]
fn waits_grow_and_stop_at_their_cap() {
    assert_eq!(growing_wait(4, 5, 900), 0);
    assert_eq!(growing_wait(5, 5, 900), 1);
    assert_eq!(growing_wait(6, 5, 900), 2);
    assert_eq!(growing_wait(14, 5, 900), 512);
    assert_eq!(growing_wait(15, 5, 900), 900);
    assert_eq!(growing_wait(10_000, 20, 60), 60);
}

#[test]
fn an_ipv6_address_counts_as_its_64() {
    let a = network_of("2001:db8:1:2:aaaa::1".parse().expect("ip"));
    let b = network_of("2001:db8:1:2:bbbb:cccc::9".parse().expect("ip"));
    assert_eq!(a, b);
    assert_ne!(a, network_of("2001:db8:1:3::1".parse().expect("ip")));
    assert_eq!(
        network_of("::ffff:192.0.2.7".parse().expect("ip")),
        network_of("192.0.2.7".parse().expect("ip"))
    );
}

#[test]
fn digests_are_keyed_by_the_master_key() {
    let a = ThrottleKey::from_master(&secrecy::SecretString::from("one master"));
    let b = ThrottleKey::from_master(&secrecy::SecretString::from("another master"));
    let ip = "192.0.2.7".parse().expect("ip");
    assert_eq!(
        account_key(&a, "hana@example.com"),
        account_key(&a, "hana@example.com")
    );
    assert_ne!(
        account_key(&a, "hana@example.com"),
        account_key(&b, "hana@example.com")
    );
    assert_ne!(
        pair_key(&a, ip, "hana@example.com"),
        crate::secrets::digest(&format!("pair:{ip}:hana@example.com")),
        "not the unkeyed hash anyone can recompute"
    );
    assert_eq!(format!("{a:?}"), "ThrottleKey(…)");
}
