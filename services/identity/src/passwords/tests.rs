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
