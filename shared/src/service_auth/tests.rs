use super::*;

#[test]
fn tokens_verify_only_with_the_same_secret_and_never_as_access_tokens() {
    let secret = SecretString::from("s".repeat(40));
    let tokens = ServiceTokens::new(&secret);
    let token = tokens.issue("gateway").expect("issue");
    assert!(tokens.verify(&token));
    assert!(!ServiceTokens::new(&SecretString::from("t".repeat(40))).verify(&token));
    assert!(!tokens.verify("not-a-token"));
    let access = crate::auth::TokenKeys::new(&secret, Duration::from_secs(60));
    assert!(
        access.verify_access(&token).is_err(),
        "a service token is no access token"
    );
}
