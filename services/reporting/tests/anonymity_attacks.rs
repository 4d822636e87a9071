//! The attack suite: thousands of generated orgs, each reported for every
//! view HR can ask for (`by=none`, `by=department`, `by=age_band`), attacked
//! by a strong HR that knows every employee's groups and even who used Taiwa
//! that quarter. It must never be able to decide, of any person, that they
//! raised a theme or that they did not.
//!
//! Attacks tried on the released numbers:
//! - a released cell itself (small, or all/almost all of a group);
//! - the org total minus released groups of one dimension (complementary
//!   and nested subtraction, including the people without cohort consent);
//! - two released groups of different dimensions against each other and the
//!   total (their overlap, and each one outside the other);
//! - several quarters: each is attacked on its own, since pseudonyms are
//!   keyed per quarter and no cell spans quarters.

use std::collections::{BTreeMap, BTreeSet};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use taiwa_reporting::report::{Cell, Record, reports};

const K: usize = 10;
const DIMS: [&str; 2] = ["department", "age_band"];
const THEMES: [&str; 3] = ["workload", "pay", "skills"];

/// What the attacker knows of one person in one quarter.
#[derive(Clone)]
struct Truth {
    pseudonym: String,
    department: String,
    age_band: String,
    consented: bool,
    raised: BTreeSet<&'static str>,
}

fn generate(rng: &mut StdRng, org: usize, quarter: &str) -> Vec<Truth> {
    let departments = rng.random_range(2..=6);
    let bands = rng.random_range(2..=4);
    let consent = [0.5, 0.8, 0.95, 1.0][rng.random_range(0..4)];
    let probabilities = [0.0, 0.05, 0.3, 0.5, 0.9, 1.0];
    // Sometimes age follows department (one dimension nested in, or equal
    // to, the other), sometimes partly, sometimes not at all.
    let correlation = [0.0, 0.5, 0.9, 1.0][rng.random_range(0..4)];
    let mut people = Vec::new();
    for d in 0..departments {
        let size = rng.random_range(3..=60);
        let leaning: Vec<f64> = THEMES
            .iter()
            .map(|_| probabilities[rng.random_range(0..probabilities.len())])
            .collect();
        for i in 0..size {
            let raised = THEMES
                .iter()
                .zip(&leaning)
                .filter(|(_, p)| rng.random_bool(**p))
                .map(|(t, _)| *t)
                .collect();
            people.push(Truth {
                pseudonym: format!("{org}/{quarter}/{d}/{i}"),
                department: format!("d{d}"),
                age_band: format!(
                    "a{}",
                    if rng.random_bool(correlation) {
                        d % bands
                    } else {
                        rng.random_range(0..bands)
                    }
                ),
                consented: rng.random_bool(consent),
                raised,
            });
        }
    }
    people
}

fn records(people: &[Truth], month: &str) -> Vec<Record> {
    people
        .iter()
        .map(|p| Record {
            month: month.to_owned(),
            pseudonym: p.pseudonym.clone(),
            themes: p.raised.iter().map(|t| (*t).to_owned()).collect(),
            cohort: if p.consented {
                BTreeMap::from([
                    ("department".to_owned(), p.department.clone()),
                    ("age_band".to_owned(), p.age_band.clone()),
                ])
            } else {
                BTreeMap::new()
            },
        })
        .collect()
}

/// A part of the org the attacker can bound: who is in it, and how many of
/// them at least raised / did not raise the theme.
fn decided(members: usize, raised_at_least: isize, quiet_at_least: isize) -> bool {
    members > 0 && (raised_at_least >= members as isize || quiet_at_least >= members as isize)
}

struct Attack {
    exposures: Vec<String>,
    released: usize,
    cells: usize,
}

fn attack(people: &[Truth], quarter: &str, views: &BTreeMap<String, Vec<Cell>>, out: &mut Attack) {
    let group = |p: &Truth, dim: &str| -> Option<String> {
        if !p.consented {
            return None;
        }
        Some(if dim == "department" {
            p.department.clone()
        } else {
            p.age_band.clone()
        })
    };
    for theme in THEMES {
        let everyone = people.len();
        // Released cells per view, with the attacker's own population count.
        let mut released: BTreeMap<&str, Vec<(String, usize, usize)>> = BTreeMap::new();
        for (view, cells) in views {
            for cell in cells
                .iter()
                .filter(|c| c.theme == theme && c.period == quarter)
            {
                out.cells += 1;
                let Ok(count) = cell.count else { continue };
                out.released += 1;
                let members: Vec<&Truth> = people
                    .iter()
                    .filter(|p| {
                        view == "none" || group(p, view).as_deref() == Some(cell.group.as_str())
                    })
                    .collect();
                let truth = members.iter().filter(|p| p.raised.contains(theme)).count();
                assert_eq!(count, truth, "a released count is the truth");
                if decided(
                    members.len(),
                    count as isize,
                    (members.len() - count) as isize,
                ) || count < K
                    || members.len() - count < K
                {
                    out.exposures.push(format!(
                        "{view}/{}/{theme}: cell {count} of {}",
                        cell.group,
                        members.len()
                    ));
                }
                released.entry(view.as_str()).or_default().push((
                    cell.group.clone(),
                    members.len(),
                    count,
                ));
            }
        }
        // What the attacker knows of the org's total: exactly, when released.
        let known_total = released.get("none").and_then(|r| r.first()).map(|c| c.2);
        // The org minus the released groups of one dimension.
        for (dim, total) in DIMS.iter().filter_map(|d| Some((d, known_total?))) {
            let cells = released.get(*dim).cloned().unwrap_or_default();
            let n: usize = cells.iter().map(|c| c.1).sum();
            let c: usize = cells.iter().map(|c| c.2).sum();
            let (hidden_n, hidden_c) = (everyone - n, total - c);
            if hidden_n > 0 && (hidden_c < K || hidden_n - hidden_c < K) {
                out.exposures.push(format!(
                    "{dim}/{theme}: total minus released leaves {hidden_c} of {hidden_n}"
                ));
            }
        }
        // Two released groups of different dimensions: the attacker's best
        // bounds on the org's raisers are the total when released, else
        // everyone (at most) and the larger group count (at least).
        for (ga, na, ca) in released.get("department").cloned().unwrap_or_default() {
            for (gb, nb, cb) in released.get("age_band").cloned().unwrap_or_default() {
                let both = people
                    .iter()
                    .filter(|p| {
                        group(p, "department").as_deref() == Some(ga.as_str())
                            && group(p, "age_band").as_deref() == Some(gb.as_str())
                    })
                    .count();
                let (na, nb, ca, cb, b) = (
                    na as isize,
                    nb as isize,
                    ca as isize,
                    cb as isize,
                    both as isize,
                );
                let most_raisers = known_total.map_or(everyone as isize, |t| t as isize);
                let most_quiet = everyone as isize - known_total.map_or(ca.max(cb), |t| t as isize);
                let exposed = decided(
                    both,
                    ca + cb - most_raisers,
                    (na - ca) + (nb - cb) - most_quiet,
                ) || decided(
                    (na - b) as usize,
                    ca - cb.min(b),
                    (na - ca) - (nb - cb).min(b),
                ) || decided(
                    (nb - b) as usize,
                    cb - ca.min(b),
                    (nb - cb) - (na - ca).min(b),
                );
                if exposed {
                    out.exposures.push(format!("{ga}×{gb}/{theme}"));
                }
            }
        }
    }
}

#[test]
fn no_generated_org_exposes_anyone_to_every_query_hr_can_make() {
    let mut rng = StdRng::seed_from_u64(0x7a1a);
    let themes: Vec<String> = THEMES.iter().map(|t| (*t).to_owned()).collect();
    let mut result = Attack {
        exposures: Vec::new(),
        released: 0,
        cells: 0,
    };
    let orgs = 2000;
    for org in 0..orgs {
        let q1 = generate(&mut rng, org, "2026-Q1");
        let q2 = generate(&mut rng, org, "2026-Q2");
        let mut all = records(&q1, "2026-02");
        all.extend(records(&q2, "2026-05"));
        let quarters = ["2026-Q1".to_owned(), "2026-Q2".to_owned()];
        let views = reports(&all, &themes, &quarters, &DIMS, K);
        assert!(
            views
                .values()
                .flatten()
                .all(|c| quarters.contains(&c.period)),
            "no cell spans or invents a quarter"
        );
        attack(&q1, "2026-Q1", &views, &mut result);
        attack(&q2, "2026-Q2", &views, &mut result);
    }
    assert!(
        result.exposures.is_empty(),
        "{} exposures, e.g. {:?}",
        result.exposures.len(),
        &result.exposures[..result.exposures.len().min(5)]
    );
    // Not vacuous: the protections still release a good share of cells.
    assert!(
        result.released * 5 > result.cells,
        "only {} of {} cells released",
        result.released,
        result.cells
    );
    eprintln!(
        "{orgs} orgs: {} of {} cells released, 0 exposures",
        result.released, result.cells
    );
}

/// Attacks over time: HR re-reads a released quarter — every view, a noisy
/// release, the usage — after each further thing that could move it: a
/// record for someone arriving late (written straight into the store, as a
/// writer racing the release would), a missed session, and the org's cohort
/// sizes changing (an erasure, new hires). Were any answer to move, the
/// difference would be that one person. Every re-read must equal the first
/// read, and the first read is attacked like any release.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn re_reading_a_released_quarter_over_time_learns_nothing() {
    use axum::extract::State;
    use shared::auth::{Caller, Role, TokenKeys};
    use shared::http::{Path, Query};
    use shared::ids::{OrgId, UserId};
    use taiwa_reporting::routes::reports::{ReportParams, UsageParams, themes, usage};
    use taiwa_reporting::store::{self, CohortSizes, NewRecord};
    use taiwa_reporting::{ReportingSettings, ReportingState, releases};

    let dir = std::env::temp_dir().join(format!("taiwa-attack-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = shared::db::Db::connect(&shared::db::embedded_url(&dir).expect("url"))
        .await
        .expect("db");
    db.migrate(&taiwa_reporting::MIGRATOR)
        .await
        .expect("migrate");
    let state = ReportingState {
        db: db.clone(),
        tokens: std::sync::Arc::new(TokenKeys::new(
            &"k".repeat(40).into(),
            std::time::Duration::from_secs(60),
        )),
        settings: ReportingSettings { k: K },
        noise_key: [9; 32],
    };
    let quarter = shared::quarters::Quarter::of(chrono::Utc::now() - chrono::Duration::days(200));
    assert!(quarter.is_released(chrono::Utc::now()));
    let month = quarter.months().0.to_string();
    let q = quarter.name();
    let themes_of: Vec<String> = THEMES.iter().map(|t| (*t).to_owned()).collect();
    let mut rng = StdRng::seed_from_u64(0x0715);
    let mut result = Attack {
        exposures: Vec::new(),
        released: 0,
        cells: 0,
    };
    let mut reread = 0;
    for n in 0..24 {
        let org = OrgId::new();
        let people = generate(&mut rng, n, &q);
        // Before the release: the records, and groups big enough to list.
        let mut tx = db.begin_write().await.expect("tx");
        for r in records(&people, &month) {
            let cohort =
                (!r.cohort.is_empty()).then(|| serde_json::to_string(&r.cohort).expect("cohort"));
            let record = NewRecord {
                id: &uuid::Uuid::new_v4().to_string(),
                org_id: org,
                period: &r.month,
                pseudonym: &r.pseudonym,
                themes: &r.themes,
                summary: "",
                cohort,
                crisis_path: false,
            };
            store::record_session(&mut tx, db.backend(), &record, 0)
                .await
                .expect("record");
            store::insert_usage(
                &mut tx,
                &uuid::Uuid::new_v4().to_string(),
                org,
                &month,
                &r.pseudonym,
                "held",
                0,
            )
            .await
            .expect("usage");
        }
        let mut sizes = CohortSizes::new();
        for p in &people {
            *sizes
                .entry("department".to_owned())
                .or_default()
                .entry(p.department.clone())
                .or_insert(40) += 1;
            *sizes
                .entry("age_band".to_owned())
                .or_default()
                .entry(p.age_band.clone())
                .or_insert(40) += 1;
        }
        let before_release = shared::time::to_db(quarter.released_at()) - 1;
        store::replace_cohort_sizes(&mut tx, org, &sizes, before_release)
            .await
            .expect("sizes");
        tx.commit().await.expect("commit");

        let hr = Caller {
            user_id: UserId::new(),
            role: Role::Hr,
            org_id: Some(org),
        };
        let read = || {
            let (state, q) = (state.clone(), q.clone());
            async move {
                let mut out = Vec::new();
                for (by, noise) in [
                    ("none", false),
                    ("department", false),
                    ("age_band", false),
                    ("department", true),
                ] {
                    let params = ReportParams {
                        from: Some(q.clone()),
                        to: Some(q.clone()),
                        by: Some(by.to_owned()),
                        noise: Some(noise),
                        epsilon: noise.then_some(0.1),
                        lang: None,
                    };
                    let answer = themes(State(state.clone()), hr, Path(org), Query(params))
                        .await
                        .expect("report");
                    let mut value = serde_json::to_value(&answer.0).expect("json");
                    // The budget left is HR's own spending, not the data.
                    value["noise"]["budget_left"] = serde_json::Value::Null;
                    out.push(value.to_string());
                }
                let params = UsageParams {
                    from: Some(q.clone()),
                    to: Some(q.clone()),
                };
                let answer = usage(State(state.clone()), hr, Path(org), Query(params))
                    .await
                    .expect("usage");
                out.push(serde_json::to_string(&answer.0).expect("json"));
                out
            }
        };
        let first = read().await;
        // The first read is a release like any: attack it.
        let release = releases::release(&state, org, quarter)
            .await
            .expect("release");
        let views: BTreeMap<String, Vec<Cell>> = release
            .views
            .iter()
            .map(|(view, cells)| {
                let cells = cells
                    .iter()
                    .map(|c| Cell {
                        theme: c.theme.clone(),
                        period: q.clone(),
                        group: c.group.clone(),
                        count: c.count.ok_or_else(|| {
                            releases::hidden_reason(c.hidden.as_deref().unwrap_or(""))
                        }),
                    })
                    .collect();
                (view.clone(), cells)
            })
            .collect();
        attack(&people, &q, &views, &mut result);
        // Then time passes: one late record each for a few people, a missed
        // session, and new cohort sizes.
        for p in people.iter().take(5) {
            let mut tx = db.begin_write().await.expect("tx");
            let late = NewRecord {
                id: &uuid::Uuid::new_v4().to_string(),
                org_id: org,
                period: &month,
                pseudonym: &p.pseudonym,
                themes: &themes_of,
                summary: "",
                cohort: None,
                crisis_path: false,
            };
            store::record_session(&mut tx, db.backend(), &late, 1)
                .await
                .expect("late");
            store::insert_usage(
                &mut tx,
                &uuid::Uuid::new_v4().to_string(),
                org,
                &month,
                &format!("late-{}", p.pseudonym),
                "no_show",
                1,
            )
            .await
            .expect("late usage");
            tx.commit().await.expect("commit");
            assert_eq!(
                read().await,
                first,
                "a late record moved a released quarter"
            );
            reread += 1;
        }
        let mut shrunk = sizes.clone();
        for groups in shrunk.values_mut() {
            for eligible in groups.values_mut() {
                *eligible = 49;
            }
        }
        let mut tx = db.begin_write().await.expect("tx");
        store::replace_cohort_sizes(
            &mut tx,
            org,
            &shrunk,
            shared::time::to_db(chrono::Utc::now()),
        )
        .await
        .expect("sizes");
        tx.commit().await.expect("commit");
        assert_eq!(
            read().await,
            first,
            "new cohort sizes moved a released quarter"
        );
        reread += 1;
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        result.exposures.is_empty(),
        "{:?}",
        &result.exposures[..result.exposures.len().min(5)]
    );
    assert!(
        result.released > 0,
        "nothing released: the attack would be vacuous"
    );
    eprintln!(
        "24 orgs, {reread} re-reads after late records and new cohort sizes: all identical; first reads {} of {} cells released, 0 exposures",
        result.released, result.cells
    );
}
