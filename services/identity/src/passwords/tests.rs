use super::*;

#[tokio::test]
async fn hashes_verify_and_use_owasp_parameters() {
    let hasher = PasswordHasher::new(2).expect("hasher");
    let password = Password::parse("correct horse battery").expect("policy");
    let hash = hasher.hash(&password).await.expect("hash");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(
        hasher
            .verify("correct horse battery", Some(&hash))
            .await
            .expect("verify")
    );
    assert!(
        !hasher
            .verify("wrong horse battery", Some(&hash))
            .await
            .expect("verify")
    );
    assert!(
        !hasher
            .verify("correct horse battery", None)
            .await
            .expect("verify")
    );
}

/// Hashes stored before the hasher managed its own working memory were
/// made by argon2's `PasswordHasher`: they still verify, and what this code
/// writes verifies with argon2's own verifier.
#[test]
fn hashes_agree_with_argon2s_own_api() {
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
    let argon = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        params().expect("params"),
    );
    let theirs = argon
        .hash_password(b"correct horse battery")
        .expect("argon2 hash")
        .to_string();
    assert!(verify_blocking("correct horse battery", &theirs));
    assert!(!verify_blocking("correct horse batterz", &theirs));
    let ours = hash_blocking("correct horse battery").expect("hash");
    assert!(
        argon
            .verify_password(b"correct horse battery", ours.as_str())
            .is_ok()
    );
    assert!(
        argon
            .verify_password(b"correct horse batterz", ours.as_str())
            .is_err()
    );
    // Another parameter set written in the string is honoured, not ours.
    let light = Argon2::new(
        Algorithm::Argon2i,
        Version::V0x10,
        Params::new(1024, 1, 1, None).expect("params"),
    )
    .hash_password(b"pw-light")
    .expect("argon2 hash")
    .to_string();
    assert!(
        light.starts_with("$argon2i$v=16$m=1024,t=1,p=1$"),
        "{light}"
    );
    assert!(verify_blocking("pw-light", &light));
    assert!(!verify_blocking("pw-heavy", &light));
}

/// For the same salt, the string written is byte for byte the one argon2's
/// own `PasswordHasher` writes (salt and output lengths, parameters, order).
#[test]
fn the_string_written_is_argon2s_own() {
    use argon2::password_hash::PasswordHasher as _;
    let salt = *b"0123456789abcdef";
    let argon = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        params().expect("params"),
    );
    let theirs = argon
        .hash_password_with_salt(b"correct horse battery", &salt)
        .expect("argon2 hash")
        .to_string();
    assert_eq!(
        hash_with_salt("correct horse battery", &salt).expect("hash"),
        theirs
    );
    // A stored output of another length, and associated data, are honoured.
    for params in [
        Params::new(1024, 1, 1, Some(16)).expect("params"),
        argon2::ParamsBuilder::new()
            .m_cost(1024)
            .t_cost(1)
            .p_cost(1)
            .data(argon2::AssociatedData::new(b"ctx").expect("data"))
            .build()
            .expect("params"),
    ] {
        let stored = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_with_salt(b"pw-other", &salt)
            .expect("argon2 hash")
            .to_string();
        assert!(verify_blocking("pw-other", &stored), "{stored}");
        assert!(!verify_blocking("pw-otter", &stored), "{stored}");
    }
}

/// What is not an argon2 hash never matches (and never panics): strings the
/// PHC parser refuses, and well-formed ones refused later (no hash, an
/// unknown version or algorithm, unusable or unknown parameters, a cost
/// beyond what any hash of ours asks for).
#[test]
fn anything_else_in_the_hash_column_does_not_match() {
    let salt = "c2FsdHNhbHRzYWx0c2FsdA";
    let out = "A".repeat(43);
    let well_formed = [
        format!("$argon2id$v=19$m=19456,t=2,p=1${salt}"),
        format!("$argon2id$v=99$m=1024,t=1,p=1${salt}${out}"),
        format!("$scrypt$v=19$m=1024,t=1,p=1${salt}${out}"),
        format!("$argon2id$v=19$m=1,t=1,p=1${salt}${out}"),
        format!("$argon2id$v=19$m=1024,t=1,p=1,x=1${salt}${out}"),
        format!("$argon2id$v=19$m=4294967295,t=1,p=1${salt}${out}"),
        format!("$argon2id$v=19$m=1024,t=4000000,p=1${salt}${out}"),
        format!("$argon2id$v=19$m=1024,t=1,p=1${salt}${out}"),
    ];
    for stored in ["", "plain", "$bcrypt$xyz"]
        .into_iter()
        .map(str::to_owned)
        .chain(well_formed)
    {
        assert!(!verify_blocking("plain", &stored), "{stored}");
    }
}
