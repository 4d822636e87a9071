//! Tallies: what the theme report needs, kept up to date at intake.
//!
//! The anonymity rules of [`crate::report`] never look at a single person:
//! they only need, per closed quarter, how many distinct people share each
//! combination of cohort groups (a [`Class`]) and how many of them raised
//! each theme. Intake keeps exactly that — one row per person and quarter
//! with their latest groups and the themes they raised ([`PersonQuarter`]),
//! and a small count table moved by [`PersonQuarter::apply`]'s deltas in the
//! same transaction — so a report reads a few hundred rows whatever the
//! number of records. [`classes`] computes the same classes from raw records;
//! the two are tested equal.

use std::collections::{BTreeMap, BTreeSet};

use crate::report::{Record, quarter_of};

/// The theme code under which a class's population is counted.
pub const POPULATION: &str = "";

/// The code under which people whose record carries the consented
/// crisis-path flag are counted (for operators only; not a taxonomy theme,
/// so no HR report can ask for it).
pub const CRISIS_PATH: &str = "crisis_path";

/// The codes a record is tallied under: its themes, and [`CRISIS_PATH`]
/// when flagged.
pub fn tallied_themes(themes: &[String], crisis_path: bool) -> Vec<String> {
    let mut out = themes.to_vec();
    if crisis_path {
        out.push(CRISIS_PATH.to_owned());
    }
    out
}

/// Distinct people of one quarter who share one combination of cohort groups.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Class {
    /// `YYYY-Qn`.
    pub quarter: String,
    /// Consented cohort attributes (dimension → group); empty without consent.
    pub cohort: BTreeMap<String, String>,
    /// People in the class.
    pub people: usize,
    /// Theme code → people of the class who raised it.
    pub raised: BTreeMap<String, usize>,
}

/// One person's quarter as intake keeps it: the groups of their latest
/// record and every theme they raised.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonQuarter {
    /// The month of their latest record (`YYYY-MM`); empty before the first.
    pub latest_month: String,
    /// Cohort attributes of that record, canonical JSON ([`cohort_key`]).
    pub cohort: String,
    /// Themes raised in the quarter.
    pub themes: BTreeSet<String>,
}

/// One change to the count table: `(cohort key, theme or POPULATION, ±1)`.
pub type Delta = (String, String, i64);

/// The canonical key of a record's cohort: its string-valued attributes as
/// JSON with sorted keys (`{}` when there are none).
pub fn cohort_key(cohort: &BTreeMap<String, String>) -> String {
    serde_json::to_string(cohort).unwrap_or_else(|_| "{}".to_owned())
}

/// Parses a stored cohort (any JSON object) into its string-valued attributes;
/// anything else is no cohort.
pub fn parse_cohort(raw: Option<&str>) -> BTreeMap<String, String> {
    raw.and_then(|c| serde_json::from_str::<BTreeMap<String, serde_json::Value>>(c).ok())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
        .collect()
}

impl PersonQuarter {
    fn contribution(&self, sign: i64) -> Vec<Delta> {
        if self.latest_month.is_empty() {
            return Vec::new();
        }
        std::iter::once(POPULATION)
            .chain(self.themes.iter().map(String::as_str))
            .map(|t| (self.cohort.clone(), t.to_owned(), sign))
            .collect()
    }

    /// Folds one more record of this person into their quarter and returns
    /// the count-table changes, sorted (so concurrent intakes lock count rows
    /// in one order). A record of the same or a later month sets the groups;
    /// themes accumulate.
    pub fn apply(&mut self, month: &str, cohort: &str, themes: &[String]) -> Vec<Delta> {
        let mut deltas = self.contribution(-1);
        if month >= self.latest_month.as_str() {
            self.latest_month = month.to_owned();
            self.cohort = cohort.to_owned();
        }
        self.themes.extend(themes.iter().cloned());
        deltas.extend(self.contribution(1));
        let mut net: BTreeMap<(String, String), i64> = BTreeMap::new();
        for (c, t, d) in deltas {
            *net.entry((c, t)).or_insert(0) += d;
        }
        net.into_iter()
            .filter(|(_, d)| *d != 0)
            .map(|((c, t), d)| (c, t, d))
            .collect()
    }
}

/// Count-table rows `(quarter, cohort key, theme or POPULATION) → people`
/// into classes.
pub fn classes_of_counts(
    rows: impl IntoIterator<Item = (String, String, String, i64)>,
) -> Vec<Class> {
    let mut out: BTreeMap<(String, String), Class> = BTreeMap::new();
    for (quarter, cohort, theme, people) in rows {
        let Ok(people) = usize::try_from(people) else {
            continue;
        };
        if people == 0 {
            continue;
        }
        let class = out
            .entry((quarter.clone(), cohort.clone()))
            .or_insert_with(|| Class {
                quarter,
                cohort: parse_cohort(Some(&cohort)),
                ..Class::default()
            });
        if theme == POPULATION {
            class.people = people;
        } else {
            class.raised.insert(theme, people);
        }
    }
    out.into_values().collect()
}

/// Records folded, in the order received, into each person's quarter and
/// the count table, as intake does one record at a time; `K` scopes both
/// (an org for a rebuild, nothing for one org's records).
pub struct Tally<K> {
    /// `(scope, quarter, pseudonym)` → the person's quarter.
    pub people: BTreeMap<(K, String, String), PersonQuarter>,
    /// `(scope, quarter, cohort key, theme or POPULATION)` → people.
    pub counts: BTreeMap<(K, String, String, String), i64>,
}

impl<K> Default for Tally<K> {
    fn default() -> Self {
        Self {
            people: BTreeMap::new(),
            counts: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone> Tally<K> {
    /// Folds in one record (a month that is not `YYYY-MM` is skipped).
    pub fn add(
        &mut self,
        scope: &K,
        month: &str,
        pseudonym: &str,
        cohort: &str,
        themes: &[String],
    ) {
        let Some(quarter) = quarter_of(month) else {
            return;
        };
        let person = self
            .people
            .entry((scope.clone(), quarter.clone(), pseudonym.to_owned()))
            .or_default();
        for (c, t, d) in person.apply(month, cohort, themes) {
            *self
                .counts
                .entry((scope.clone(), quarter.clone(), c, t))
                .or_insert(0) += d;
        }
    }
}

/// The classes of raw records, as intake would have tallied them (records in
/// the order given stand for the order received).
pub fn classes(records: &[Record]) -> Vec<Class> {
    let mut tally = Tally::<()>::default();
    for r in records {
        tally.add(
            &(),
            &r.month,
            &r.pseudonym,
            &cohort_key(&r.cohort),
            &r.themes,
        );
    }
    classes_of_counts(
        tally
            .counts
            .into_iter()
            .map(|(((), q, c, t), n)| (q, c, t, n)),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A record of `who` in `month`, with a department or none.
    pub(crate) fn record(month: &str, who: &str, themes: &[&str], dept: Option<&str>) -> Record {
        Record {
            month: month.into(),
            pseudonym: who.into(),
            themes: themes.iter().map(|t| (*t).to_owned()).collect(),
            cohort: dept
                .map(|d| BTreeMap::from([("department".to_owned(), d.to_owned())]))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn a_later_record_moves_the_person_and_themes_accumulate() {
        let records = [
            record("2026-10", "a", &["pay"], Some("sales")),
            record("2026-11", "a", &["skills"], Some("dev")),
            record("2026-10", "a", &["workload"], Some("legal")),
            record("2026-11", "b", &["pay"], None),
        ];
        let classes = classes(&records);
        assert_eq!(classes.len(), 2, "{classes:?}");
        let dev = classes
            .iter()
            .find(|c| c.cohort.get("department").map(String::as_str) == Some("dev"))
            .expect("a is in dev, from their latest month");
        assert_eq!(dev.people, 1);
        assert_eq!(
            dev.raised.keys().collect::<Vec<_>>(),
            ["pay", "skills", "workload"]
        );
        let none = classes.iter().find(|c| c.cohort.is_empty()).expect("b");
        assert_eq!((none.people, none.raised.get("pay")), (1, Some(&1)));
    }

    #[test]
    fn deltas_are_sorted_and_net() {
        let mut p = PersonQuarter::default();
        p.apply("2026-10", "{}", &["pay".to_owned()]);
        let d = p.apply("2026-10", "{}", &["pay".to_owned(), "skills".to_owned()]);
        assert_eq!(d, vec![("{}".to_owned(), "skills".to_owned(), 1)]);
    }

    /// The classes the report engine gets are those of a person-by-person
    /// recount, however the records arrive.
    fn recount(records: &[Record]) -> Vec<Class> {
        // (quarter, pseudonym) → (latest month, its cohort, themes raised)
        type Seen<'a> = (String, BTreeMap<String, String>, BTreeSet<&'a str>);
        let mut people: BTreeMap<(String, &str), Seen<'_>> = BTreeMap::new();
        for r in records {
            let q = quarter_of(&r.month).expect("month");
            let p = people.entry((q, &r.pseudonym)).or_default();
            if r.month >= p.0 {
                p.0.clone_from(&r.month);
                p.1.clone_from(&r.cohort);
            }
            p.2.extend(r.themes.iter().map(String::as_str));
        }
        let mut out: BTreeMap<(String, String), Class> = BTreeMap::new();
        for ((q, _), (_, cohort, themes)) in people {
            let c = out
                .entry((q.clone(), cohort_key(&cohort)))
                .or_insert_with(|| Class {
                    quarter: q,
                    cohort,
                    ..Class::default()
                });
            c.people += 1;
            for t in themes {
                *c.raised.entry(t.to_owned()).or_insert(0) += 1;
            }
        }
        out.into_values().collect()
    }

    proptest! {
        #[test]
        fn incremental_tallies_equal_a_recount(
            stream in proptest::collection::vec(
                (0usize..6, 0usize..8, proptest::collection::vec(0usize..4, 0..3), 0usize..3),
                0..80,
            )
        ) {
            const MONTHS: [&str; 6] = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"];
            const THEMES: [&str; 4] = ["pay", "skills", "workload", "transfer"];
            const DEPTS: [Option<&str>; 3] = [None, Some("sales"), Some("dev")];
            let records: Vec<Record> = stream
                .iter()
                .map(|(m, who, themes, dept)| {
                    let themes: Vec<&str> = themes.iter().map(|t| THEMES[*t]).collect();
                    record(MONTHS[*m], &format!("p{who}"), &themes, DEPTS[*dept])
                })
                .collect();
            prop_assert_eq!(classes(&records), recount(&records));
        }
    }
}
