//! Every contract survives a round trip, and payloads as their producers
//! wrote them before these types existed still parse (the versioning rule).

use std::fmt::Debug;

use serde_json::{Value, json};

use super::*;
use crate::ids::{OrgId, UserId};

fn round_trip<C: Contract + PartialEq + Debug>(value: C) {
    let json = serde_json::to_value(&value).expect("serialises");
    let back: C = serde_json::from_value(json).expect("parses back");
    assert_eq!(back, value, "{}", C::TOPIC);
}

fn parses<C: Contract>(payload: Value) -> C {
    serde_json::from_value(payload.clone())
        .unwrap_or_else(|e| panic!("{}: {payload} no longer parses: {e}", C::TOPIC))
}

fn wire<C: Contract>(contract: &C) -> Value {
    serde_json::to_value(contract).expect("serialises")
}

fn cohort() -> Cohort {
    Cohort {
        department: Some("営業部".to_owned()),
        age_band: Some("30s".to_owned()),
    }
}

#[test]
fn every_contract_round_trips() {
    let (user, org) = (UserId::new(), OrgId::new());
    round_trip(UserErased {
        user_id: user,
        org_id: Some(org),
    });
    round_trip(ContactChanged {
        user_id: user,
        org_id: Some(org),
        email: "hana@example.com".to_owned(),
        display_name: "はな".to_owned(),
        cohort: Some(cohort()),
        full_name: Some("佐藤 花子".to_owned()),
        name_reading: Some("さとう はなこ".to_owned()),
    });
    round_trip(CohortSizes {
        org_id: org,
        as_of: 1_700_000_000_000,
        dimensions: [("department".to_owned(), [("営業部".to_owned(), 51)].into())].into(),
    });
    round_trip(ConsultantChanged {
        consultant_id: user,
        standing: Some(ConsultantStanding {
            status: ApprovalStatus::Suspended,
            affiliated_org_ids: vec![org],
            as_of: 1_700_000_000_000,
        }),
    });
    round_trip(AvailabilityChanged {
        consultant_id: user,
        next_available_at: Some("2026-12-01T01:00:00Z".parse().expect("instant")),
    });
    round_trip(SessionRated {
        consultant_id: user,
        employee_id: UserId::new(),
        rating: 5,
    });
    round_trip(SessionShared {
        org_id: org,
        period: "2026-12".to_owned(),
        pseudonym: "p".repeat(43),
        themes: vec!["career_direction".to_owned()],
        summary: "[氏名]さんは異動を考えている".to_owned(),
        cohort: Some(cohort()),
        crisis_path: true,
    });
    round_trip(SessionClosed {
        org_id: org,
        period: "2026-12".to_owned(),
        pseudonym: "q".repeat(43),
        outcome: Outcome::NoShow,
    });
    round_trip(TaxonomyChanged {
        version: 3,
        themes: vec![TaxonomyTheme {
            code: "generative_ai".to_owned(),
            sensitive: false,
            retired: true,
        }],
    });
}

#[test]
fn payloads_as_producers_wrote_them_still_parse() {
    let (user, org) = (UserId::new(), OrgId::new());
    // The first v1 of consultant_changed: a profile summary, no standing.
    let changed: ConsultantChanged = parses(json!({
        "consultant_id": user,
        "profile": {"meeting_url": "https://meet.example.com/c/1"}
    }));
    assert_eq!(changed.standing, None);
    let erased: UserErased = parses(json!({"user_id": user}));
    assert_eq!(erased.org_id, None);
    // Consultants' contacts had no org, cohort or name.
    let contact: ContactChanged = parses(json!({
        "user_id": user, "org_id": null, "email": "c@example.com", "display_name": "C",
        "cohort": null, "full_name": null, "name_reading": null
    }));
    assert_eq!((contact.org_id, contact.cohort), (None, None));
    let contact: ContactChanged = parses(json!({
        "user_id": user, "email": "e@example.com", "display_name": "E",
        "cohort": {"age_band": "40s"}
    }));
    assert_eq!(
        contact.cohort.and_then(|c| c.age_band).as_deref(),
        Some("40s")
    );
    let sizes: CohortSizes = parses(json!({
        "org_id": org, "as_of": 1_700_000_000_000_i64,
        "dimensions": {"age_band": {"30s": 12, "40s": 60}}
    }));
    assert_eq!(sizes.dimensions["age_band"]["40s"], 60);
    let next: AvailabilityChanged =
        parses(json!({"consultant_id": user, "next_available_at": null}));
    assert_eq!(next.next_available_at, None);
    let rated: SessionRated =
        parses(json!({"consultant_id": user, "employee_id": UserId::new(), "rating": 4}));
    assert_eq!(rated.rating, 4);
    // Hand-offs from before the crisis path, and without cohort consent.
    let shared: SessionShared = parses(json!({
        "org_id": org, "period": "2026-01", "pseudonym": "abc",
        "themes": ["workload"], "summary": "…", "cohort": null
    }));
    assert!(!shared.crisis_path && shared.cohort.is_none());
    let closed: SessionClosed = parses(json!({
        "org_id": org, "period": "2026-01", "pseudonym": "abc", "outcome": "held"
    }));
    assert_eq!(closed.outcome, Outcome::Held);
}

#[test]
fn payloads_that_break_a_contract_are_refused() {
    let user = UserId::new();
    for bad in [
        json!({"consultant_id": user, "employee_id": user, "rating": 300}),
        json!({"consultant_id": "not-a-uuid", "employee_id": user, "rating": 3}),
        json!({"employee_id": user, "rating": 3}),
    ] {
        assert!(serde_json::from_value::<SessionRated>(bad).is_err());
    }
    let outcome =
        json!({"org_id": OrgId::new(), "period": "2026-01", "pseudonym": "a", "outcome": "late"});
    assert!(serde_json::from_value::<SessionClosed>(outcome).is_err());
}

#[test]
fn topics_are_distinct_and_versioned() {
    let topics = [
        UserErased::TOPIC,
        ContactChanged::TOPIC,
        CohortSizes::TOPIC,
        ConsultantChanged::TOPIC,
        AvailabilityChanged::TOPIC,
        SessionRated::TOPIC,
        SessionShared::TOPIC,
        SessionClosed::TOPIC,
        TaxonomyChanged::TOPIC,
    ];
    let unique: std::collections::BTreeSet<_> = topics.iter().collect();
    assert_eq!(unique.len(), topics.len());
    for topic in topics {
        let parts: Vec<&str> = topic.split('.').collect();
        assert!(
            parts.len() == 3
                && ["identity", "matching", "booking", "reporting"].contains(&parts[0])
                && parts[2]
                    .strip_prefix('v')
                    .is_some_and(|n| n.parse::<u32>().is_ok()),
            "{topic} is <producer>.<what happened>.v<n>"
        );
    }
}

/// The exact JSON each producer writes: a renamed or retyped field fails
/// here even when both sides would still agree with each other (and old
/// events in flight would silently lose the value).
#[test]
fn each_topic_has_exactly_its_documented_shape() {
    let (user, other, org) = (UserId::new(), UserId::new(), OrgId::new());
    let shape = |value: Value, expected: Value| assert_eq!(value, expected);
    shape(
        wire(&UserErased {
            user_id: user,
            org_id: Some(org),
        }),
        json!({"user_id": user, "org_id": org}),
    );
    shape(
        wire(&ContactChanged {
            user_id: user,
            org_id: Some(org),
            email: "e@example.com".to_owned(),
            display_name: "E".to_owned(),
            cohort: Some(cohort()),
            full_name: Some("佐藤 花子".to_owned()),
            name_reading: Some("サトウ ハナコ".to_owned()),
        }),
        json!({"user_id": user, "org_id": org, "email": "e@example.com", "display_name": "E",
               "cohort": {"department": "営業部", "age_band": "30s"},
               "full_name": "佐藤 花子", "name_reading": "サトウ ハナコ"}),
    );
    shape(
        wire(&CohortSizes {
            org_id: org,
            as_of: 7,
            dimensions: [("age_band".to_owned(), [("30s".to_owned(), 60)].into())].into(),
        }),
        json!({"org_id": org, "as_of": 7, "dimensions": {"age_band": {"30s": 60}}}),
    );
    shape(
        wire(&ConsultantChanged {
            consultant_id: user,
            standing: Some(ConsultantStanding {
                status: ApprovalStatus::Approved,
                affiliated_org_ids: vec![org],
                as_of: 9,
            }),
        }),
        json!({"consultant_id": user,
               "standing": {"status": "approved", "affiliated_org_ids": [org], "as_of": 9}}),
    );
    shape(
        wire(&ConsultantChanged {
            consultant_id: user,
            standing: None,
        }),
        json!({"consultant_id": user}),
    );
    shape(
        wire(&AvailabilityChanged {
            consultant_id: user,
            next_available_at: Some("2026-12-01T01:00:00Z".parse().expect("instant")),
        }),
        json!({"consultant_id": user, "next_available_at": "2026-12-01T01:00:00Z"}),
    );
    shape(
        wire(&SessionRated {
            consultant_id: user,
            employee_id: other,
            rating: 4,
        }),
        json!({"consultant_id": user, "employee_id": other, "rating": 4}),
    );
    shape(
        wire(&SessionShared {
            org_id: org,
            period: "2026-12".to_owned(),
            pseudonym: "p".to_owned(),
            themes: vec!["workload".to_owned()],
            summary: "s".to_owned(),
            cohort: None,
            crisis_path: true,
        }),
        json!({"org_id": org, "period": "2026-12", "pseudonym": "p", "themes": ["workload"],
               "summary": "s", "cohort": null, "crisis_path": true}),
    );
    shape(
        wire(&SessionClosed {
            org_id: org,
            period: "2026-12".to_owned(),
            pseudonym: "q".to_owned(),
            outcome: Outcome::NoShow,
        }),
        json!({"org_id": org, "period": "2026-12", "pseudonym": "q", "outcome": "no_show"}),
    );
    shape(
        wire(&TaxonomyChanged {
            version: 2,
            themes: vec![TaxonomyTheme {
                code: "health".to_owned(),
                sensitive: true,
                retired: false,
            }],
        }),
        json!({"version": 2, "themes": [{"code": "health", "sensitive": true, "retired": false}]}),
    );
}

/// Old payloads with every optional field given keep every value.
#[test]
fn optional_fields_of_old_payloads_keep_their_values() {
    let (user, org) = (UserId::new(), OrgId::new());
    let erased: UserErased = parses(json!({"user_id": user, "org_id": org}));
    assert_eq!(erased.org_id, Some(org));
    let contact: ContactChanged = parses(json!({
        "user_id": user, "org_id": org, "email": "e@example.com", "display_name": "E",
        "cohort": {"department": "営業部", "age_band": "30s"},
        "full_name": "佐藤 花子", "name_reading": "サトウ ハナコ"
    }));
    assert_eq!(contact.org_id, Some(org));
    assert_eq!(contact.cohort, Some(cohort()));
    assert_eq!(contact.full_name.as_deref(), Some("佐藤 花子"));
    assert_eq!(contact.name_reading.as_deref(), Some("サトウ ハナコ"));
    let shared: SessionShared = parses(json!({
        "org_id": org, "period": "2026-01", "pseudonym": "abc", "themes": ["workload"],
        "summary": "…", "cohort": {"department": "営業部", "age_band": "30s"}, "crisis_path": true
    }));
    assert!(shared.crisis_path);
    assert_eq!(shared.cohort, Some(cohort()));
    let changed: ConsultantChanged = parses(json!({
        "consultant_id": user,
        "standing": {"status": "suspended", "affiliated_org_ids": [org], "as_of": 3}
    }));
    assert_eq!(
        changed.standing,
        Some(ConsultantStanding {
            status: ApprovalStatus::Suspended,
            affiliated_org_ids: vec![org],
            as_of: 3
        })
    );
}
