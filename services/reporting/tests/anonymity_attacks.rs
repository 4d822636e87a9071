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
