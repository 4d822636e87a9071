use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().expect("ip")
}

#[test]
fn only_trusted_peers_are_believed_and_only_for_the_hops_they_added() {
    let trusted = TrustedProxies::parse("10.0.0.0/8, 192.168.1.10, fd00::/8").expect("parse");
    // Not a proxy: its headers mean nothing.
    assert_eq!(
        trusted.client_of(ip("203.0.113.9"), &["1.2.3.4"]),
        ip("203.0.113.9")
    );
    // Through the balancer: the hop it added.
    assert_eq!(
        trusted.client_of(ip("10.1.2.3"), &["198.51.100.7"]),
        ip("198.51.100.7")
    );
    // A client forging a left-hand entry cannot choose its address.
    assert_eq!(
        trusted.client_of(ip("10.1.2.3"), &["6.6.6.6, 198.51.100.7"]),
        ip("198.51.100.7")
    );
    // Two trusted hops are skipped; repeated headers read as one list.
    assert_eq!(
        trusted.client_of(ip("10.1.2.3"), &["198.51.100.7", "192.168.1.10"]),
        ip("198.51.100.7")
    );
    // Garbage stops the walk at the last good hop.
    assert_eq!(
        trusted.client_of(ip("10.1.2.3"), &["nonsense"]),
        ip("10.1.2.3")
    );
    assert_eq!(
        trusted.client_of(ip("fd00::1"), &["2001:db8::5"]),
        ip("2001:db8::5")
    );
    assert!(!trusted.contains(ip("192.168.1.11")));
    assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    assert!(TrustedProxies::parse("not-an-ip").is_err());
    assert!(
        !TrustedProxies::parse("")
            .expect("empty")
            .contains(ip("127.0.0.1"))
    );
}
