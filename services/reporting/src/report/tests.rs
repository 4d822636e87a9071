use super::*;

const DIMS: [&str; 2] = ["department", "age_band"];

use crate::tally::tests::record as person;

fn themes(t: &[&str]) -> Vec<String> {
    t.iter().map(|t| (*t).to_owned()).collect()
}

fn find<'a>(cells: &'a [Cell], theme: &str, group: &str) -> Option<&'a Cell> {
    cells.iter().find(|c| c.theme == theme && c.group == group)
}

#[test]
fn distinct_people_per_quarter_with_small_and_homogeneous_cells_hidden() {
    // 40 people in Q4: 12 raised workload (one of them twice), 3 raised pay,
    // 35 raised career direction (all but 5: homogeneous).
    let mut records: Vec<Record> = (0..40)
        .map(|i| {
            let mut t = vec![];
            if i < 12 {
                t.push("workload");
            }
            if i < 3 {
                t.push("pay");
            }
            if i < 35 {
                t.push("career_direction");
            }
            person("2026-11", &format!("p{i}"), &t, None)
        })
        .collect();
    records.push(person("2026-12", "p0", &["workload"], None));
    let out = report(
        &tally::classes(&records),
        &themes(&["workload", "pay", "career_direction"]),
        &["2026-Q4".to_owned()],
        &DIMS,
        None,
        10,
    );
    assert_eq!(find(&out, "workload", ALL).map(|c| c.count), Some(Ok(12)));
    assert_eq!(
        find(&out, "pay", ALL).map(|c| c.count),
        Some(Err(Hidden::FewerThanK))
    );
    assert_eq!(
        find(&out, "career_direction", ALL).map(|c| c.count),
        Some(Err(Hidden::Homogeneous))
    );
}

#[test]
fn quarters_never_add_up() {
    // Four people in each of three quarters: never a cell of 12.
    let records: Vec<Record> = ["2026-02", "2026-05", "2026-08"]
        .iter()
        .flat_map(|m| (0..4).map(move |i| person(m, &format!("{m}-{i}"), &["pay"], None)))
        .collect();
    let quarters: Vec<String> = ["2026-Q1", "2026-Q2", "2026-Q3"]
        .iter()
        .map(|q| (*q).to_owned())
        .collect();
    let out = report(
        &tally::classes(&records),
        &themes(&["pay"]),
        &quarters,
        &DIMS,
        None,
        10,
    );
    assert!(out.iter().all(|c| c.count.is_err()), "{out:?}");
}

#[test]
fn one_hidden_group_is_covered_by_hiding_another() {
    // Sales: 30 people, 15 raised workload; dev: 30, 14; legal: 30, 4.
    // org total 33 is released in by=none; sales + dev released would
    // give legal = 33 - 15 - 14 = 4 by subtraction.
    let mut records = Vec::new();
    for (dept, n, raised) in [("sales", 30, 15), ("dev", 30, 14), ("legal", 30, 4)] {
        for i in 0..n {
            let t: &[&str] = if i < raised { &["workload"] } else { &[] };
            records.push(person("2026-11", &format!("{dept}{i}"), t, Some(dept)));
        }
    }
    let out = report(
        &tally::classes(&records),
        &themes(&["workload"]),
        &["2026-Q4".to_owned()],
        &DIMS,
        Some("department"),
        10,
    );
    assert_eq!(
        find(&out, "workload", "legal").map(|c| c.count),
        Some(Err(Hidden::FewerThanK))
    );
    assert_eq!(
        find(&out, "workload", "dev").map(|c| c.count),
        Some(Err(Hidden::Complementary)),
        "the smallest released group is hidden too"
    );
    assert_eq!(
        find(&out, "workload", "sales").map(|c| c.count),
        Some(Ok(15))
    );
}

#[test]
fn small_groups_and_people_without_cohort_consent_are_never_listed() {
    let mut records: Vec<Record> = (0..20)
        .map(|i| person("2026-11", &format!("s{i}"), &["pay"], Some("sales")))
        .collect();
    records.extend((0..4).map(|i| person("2026-11", &format!("l{i}"), &["pay"], Some("legal"))));
    records.extend((0..30).map(|i| person("2026-11", &format!("n{i}"), &[], None)));
    let out = report(
        &tally::classes(&records),
        &themes(&["pay"]),
        &["2026-Q4".to_owned()],
        &DIMS,
        Some("department"),
        10,
    );
    assert!(out.iter().all(|c| c.group == "sales"), "{out:?}");
}

#[test]
fn k_never_goes_below_five() {
    let records: Vec<Record> = (0..4)
        .map(|i| person("2026-11", &format!("p{i}"), &["pay"], None))
        .chain((0..30).map(|i| person("2026-11", &format!("q{i}"), &[], None)))
        .collect();
    let out = report(
        &tally::classes(&records),
        &themes(&["pay"]),
        &["2026-Q4".to_owned()],
        &DIMS,
        None,
        1,
    );
    assert_eq!(out[0].count, Err(Hidden::FewerThanK));
}

#[test]
fn two_dimensions_cannot_be_crossed_to_decide_an_overlap() {
    // Sales: 10 in their 30s (all raised workload) and 20 in their 40s
    // (10 raised); dev: 20 in their 30s (10 raised). Each cell alone is
    // fine, but sales 20 + 30s 20 − total 30 = 10 = the sales people in
    // their 30s: all of them raised it.
    let mut records = Vec::new();
    let mut add = |who: String, dept: &str, band: &str, raised: bool| {
        records.push(Record {
            month: "2026-11".into(),
            pseudonym: who,
            themes: if raised {
                vec!["workload".to_owned()]
            } else {
                vec![]
            },
            cohort: BTreeMap::from([
                ("department".to_owned(), dept.to_owned()),
                ("age_band".to_owned(), band.to_owned()),
            ]),
        });
    };
    for i in 0..10 {
        add(format!("s30-{i}"), "sales", "30s", true);
    }
    for i in 0..20 {
        add(format!("s40-{i}"), "sales", "40s", i < 10);
        add(format!("d30-{i}"), "dev", "30s", i < 10);
    }
    let views = reports(
        &records,
        &themes(&["workload"]),
        &["2026-Q4".to_owned()],
        &DIMS,
        10,
    );
    let released = |view: &str, group: &str| {
        views[view]
            .iter()
            .find(|c| c.group == group)
            .is_some_and(|c| c.count.is_ok())
    };
    assert!(
        !(released("department", "sales") && released("age_band", "30s")),
        "{views:?}"
    );
    assert!(
        !(released("department", "dev") && released("age_band", "30s")),
        "30s minus dev would give the sales people in their 30s: {views:?}"
    );
    assert_eq!(views["none"][0].count, Ok(30));
}

#[test]
fn groups_of_fewer_than_fifty_employees_or_unknown_size_are_folded() {
    let mut classes = tally::classes(&[
        person("2026-11", "a", &["pay"], Some("sales")),
        person("2026-11", "b", &["pay"], Some("legal")),
        person("2026-11", "c", &["pay"], Some("new_team")),
    ]);
    let sizes = BTreeMap::from([(
        "department".to_owned(),
        BTreeMap::from([("sales".to_owned(), 120), ("legal".to_owned(), 49)]),
    )]);
    fold_small_groups(&mut classes, &sizes, MIN_ELIGIBLE);
    let mut groups: Vec<Option<&String>> =
        classes.iter().map(|c| c.cohort.get("department")).collect();
    groups.sort();
    assert_eq!(groups, [None, None, Some(&"sales".to_owned())]);
}
