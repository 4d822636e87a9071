use super::*;

fn production() -> Config {
    Config {
        environment: Environment::Production,
        demo_data: false,
        jwt_secret: Some(SecretString::from("k".repeat(40))),
        master_key: Some(SecretString::from("m".repeat(40))),
        database_url: Some(SecretString::from("postgres://db/taiwa")),
        ..Config::embedded_default()
    }
}

#[test]
fn embedded_default_is_valid() {
    assert_eq!(Config::embedded_default().validate(), Ok(()));
}

#[test]
fn production_with_postgres_and_a_key_is_valid() {
    assert_eq!(production().validate(), Ok(()));
}

#[test]
fn production_refuses_demo_data_generated_key_and_sqlite() {
    let cases = [
        (
            Config {
                demo_data: true,
                ..production()
            },
            "demo data",
        ),
        (
            Config {
                jwt_secret: None,
                ..production()
            },
            "generated signing key",
        ),
        (
            Config {
                database_url: None,
                ..production()
            },
            "SQLite",
        ),
    ];
    for (config, expected) in cases {
        let problems = config.validate().expect_err(expected);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{problems:?}"
        );
    }
    let explicit = Config {
        database_url: None,
        allow_sqlite_in_production: true,
        ..production()
    };
    assert_eq!(explicit.validate(), Ok(()));
}

#[test]
fn debug_output_never_shows_secrets() {
    let shown = format!("{:?}", production());
    assert!(!shown.contains("kkkk"), "{shown}");
    assert!(!shown.contains("postgres://db"), "{shown}");
}
