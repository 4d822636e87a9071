use super::*;

fn keys() -> TokenKeys {
    TokenKeys::new(
        &SecretString::from("x".repeat(48)),
        Duration::from_secs(900),
    )
}

#[test]
fn a_token_round_trips() {
    let caller = Caller {
        user_id: UserId::new(),
        role: Role::Hr,
        org_id: Some(OrgId::new()),
    };
    let issued = keys().issue_access(&caller, false).expect("issue");
    assert_eq!(
        keys().verify(&issued.token).expect("verify"),
        (caller, false)
    );
    let issued = keys().issue_access(&caller, true).expect("issue");
    assert_eq!(
        keys().verify(&issued.token).expect("verify"),
        (caller, true)
    );
    assert_eq!(issued.expires_in, 900);
}

/// A token of `caller` issued by a replica whose clock runs `ahead`
/// seconds ahead.
fn token_from_a_clock_ahead(caller: &Caller, ahead: i64) -> String {
    let now = chrono::Utc::now().timestamp() + ahead;
    let claims = AccessClaims {
        sub: caller.user_id.to_string(),
        role: caller.role,
        org: caller.org_id.map(|o| o.to_string()),
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
        iat: now,
        exp: now + 900,
        jti: uuid::Uuid::new_v4().to_string(),
        typ: ACCESS_TYP.to_owned(),
        amr: vec!["pwd".to_owned()],
    };
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some(ACCESS_HEADER_TYP.to_owned());
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret("x".repeat(48).as_bytes()),
    )
    .expect("sign")
}

#[test]
fn a_revoked_person_s_earlier_tokens_are_refused_and_later_ones_work() {
    let keys = keys();
    let caller = Caller {
        user_id: UserId::new(),
        role: Role::Employee,
        org_id: Some(OrgId::new()),
    };
    let other = Caller {
        user_id: UserId::new(),
        ..caller
    };
    let before = keys.issue_access(&caller, false).expect("issue");
    let bystander = keys.issue_access(&other, false).expect("issue");
    keys.revoke(caller.user_id, chrono::Utc::now().timestamp());
    let err = keys.verify(&before.token).expect_err("revoked");
    assert_eq!(err.status().as_u16(), 401);
    assert!(keys.verify(&bystander.token).is_ok(), "only that person");
    // An earlier revocation never shortens a later one.
    keys.revoke(caller.user_id, chrono::Utc::now().timestamp() - 120);
    assert!(
        keys.verify(&before.token).is_err(),
        "the later instant wins"
    );
    // A token from a replica whose clock runs up to the leeway ahead is
    // refused too; a sign-in after the revocation (a reinstated
    // consultant) works.
    let ahead = token_from_a_clock_ahead(&caller, LEEWAY_SECS as i64 - 1);
    assert!(keys.verify(&ahead).is_err(), "skewed clock");
    let third = Caller {
        user_id: UserId::new(),
        ..caller
    };
    keys.revoke(
        third.user_id,
        chrono::Utc::now().timestamp() - 2 * LEEWAY_SECS as i64,
    );
    let later = keys.issue_access(&third, false).expect("issue");
    assert!(keys.verify(&later.token).is_ok(), "a later sign-in");
}

#[test]
fn a_key_is_generated_once_with_private_permissions() {
    let dir = std::env::temp_dir().join(format!("taiwa-key-{}", uuid::Uuid::new_v4()));
    let first = load_or_generate_key(&dir).expect("generate");
    let second = load_or_generate_key(&dir).expect("reload");
    assert_eq!(first.expose_secret(), second.expose_secret());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("jwt-signing.key"))
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    std::fs::remove_dir_all(&dir).ok();
}
