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

/// What is not an argon2 hash never matches (and never panics).
#[test]
fn anything_else_in_the_hash_column_does_not_match() {
    for stored in [
        "",
        "plain",
        "$argon2id$v=19$m=19456,t=2,p=1$",
        "$bcrypt$xyz",
        "$argon2id$v=99$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
    ] {
        assert!(!verify_blocking("plain", stored), "{stored}");
    }
}
