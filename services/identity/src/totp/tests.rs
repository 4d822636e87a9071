use super::*;

/// RFC 6238, appendix B: the SHA-1 secret is ASCII "12345678901234567890";
/// the reference codes are 8 digits, whose last 6 are ours.
#[test]
fn matches_the_rfc_6238_test_vectors() {
    let secret = TotpSecret(b"12345678901234567890".to_vec());
    for (time, code8) in [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ] {
        assert_eq!(secret.code_at(time), code8[2..], "at {time}");
    }
}

#[test]
fn base32_round_trips_and_reads_the_rfc_4648_vectors() {
    assert_eq!(TotpSecret(b"foobar".to_vec()).to_base32(), "MZXW6YTBOI");
    assert_eq!(
        TotpSecret::from_base32("mzxw 6ytb oi======").map(|s| s.0),
        Some(b"foobar".to_vec())
    );
    let secret = TotpSecret::generate();
    assert_eq!(
        TotpSecret::from_base32(&secret.to_base32()).map(|s| s.0),
        Some(secret.0.clone())
    );
    assert!(TotpSecret::from_base32("not base32!").is_none());
}

#[test]
fn accepts_one_step_of_drift_and_never_the_same_step_twice() {
    let secret = TotpSecret::generate();
    let now = 1_800_000_015;
    let step = now / STEP_SECS;
    assert_eq!(secret.verify(&secret.code_at(now), now, None), Some(step));
    assert_eq!(
        secret.verify(&secret.code_at(now - 30), now, None),
        Some(step - 1)
    );
    assert_eq!(
        secret.verify(&secret.code_at(now + 30), now, None),
        Some(step + 1)
    );
    assert_eq!(secret.verify(&secret.code_at(now - 90), now, None), None);
    assert_eq!(
        secret.verify(&secret.code_at(now), now, Some(step)),
        None,
        "replay"
    );
    assert_eq!(secret.verify("12345", now, None), None);
    assert_eq!(secret.verify("abcdef", now, None), None);
}

#[test]
fn sealed_secrets_open_only_with_their_key() {
    let key = SealKey::from_master(&SecretString::from("m".repeat(40)));
    let other = SealKey::from_master(&SecretString::from("n".repeat(40)));
    let secret = TotpSecret::generate();
    let stored = key.seal(&secret).expect("seal");
    assert!(!stored.contains(&secret.to_base32()));
    assert_eq!(
        key.open(&stored).expect("open").to_base32(),
        secret.to_base32()
    );
    assert!(other.open(&stored).is_err());
}
