//! The theme report: distinct people per theme and closed quarter, by cohort
//! dimension, under anonymity protection.
//!
//! The attacker we defend against is strong: HR that knows the org, knows
//! every employee's cohort group, and even knows who used Taiwa in a quarter
//! (the population of each group), and may issue every query the API allows
//! (every quarter, `by=none` and every cohort dimension). They must not be
//! able to conclude, of any person, that they raised a theme — nor, of a
//! group that used Taiwa, that none of it did.
//!
//! Rules, per theme and quarter (`k` is the smallest group, default 10):
//! - **Distinct people in a quarter**: pseudonyms are keyed per org and
//!   quarter, so cells count people, never sessions, and quarters are never
//!   added up (nor could they be linked).
//! - **Small cells**: a released count is ≥ k.
//! - **Homogeneity**: in a released cell at least k of the group's people who
//!   used Taiwa did *not* raise the theme, so being in the group (or being
//!   known to have used Taiwa) reveals nothing about a person.
//! - **Small groups are not listed**: a cohort group is shown only when at
//!   least k of its people used Taiwa that quarter; smaller groups, and people
//!   who did not consent to cohort reporting, form the unlisted remainder.
//! - **Complementary suppression and nesting**: every group is contained in
//!   the org (whose `by=none` count HR also sees). The people not covered by
//!   released groups — the hidden mass — must again be empty, or hold ≥ k who
//!   raised the theme and ≥ k who did not; otherwise the released group with
//!   the smallest count is hidden too, until it holds. So no hidden cell, nor
//!   the org minus a group, can be recovered by subtraction.
//! - **No totals** across themes or quarters are published, and filters
//!   cannot be combined (one dimension per query).
//! - Sensitive themes (health, harassment) are never asked for.

use std::collections::{BTreeMap, HashMap};

use crate::tally::{self, Class};

mod records;

pub use records::{Record, fold_small_groups, quarter_of};

/// Smallest group a released cell may describe, by default.
pub const DEFAULT_K: usize = 10;

/// The smallest `k` configuration may choose.
pub const MIN_K: usize = 5;

/// A cohort group is listed only with at least this many eligible employees.
pub const MIN_ELIGIBLE: usize = 50;

/// The group of a `by=none` report.
pub const ALL: &str = "all";

/// Why a cell is hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hidden {
    /// Fewer than k people raised it.
    FewerThanK,
    /// Almost everyone in the group raised it.
    Homogeneous,
    /// Hidden so another hidden cell cannot be recovered by subtraction.
    Complementary,
}

impl Hidden {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::FewerThanK => "fewer_than_k",
            Self::Homogeneous => "homogeneous",
            Self::Complementary => "complementary",
        }
    }
}

/// One cell of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Theme code.
    pub theme: String,
    /// Quarter, `YYYY-Qn`.
    pub period: String,
    /// Cohort group, or `all`.
    pub group: String,
    /// The count when released.
    pub count: Result<usize, Hidden>,
}

/// People who share their groups in a quarter, as the engine sees them.
struct Members<'a> {
    /// Their group in each dimension (`None`: no cohort consent, or a group
    /// too small to list).
    groups: Vec<Option<&'a str>>,
    /// How many people.
    people: usize,
    /// Theme → how many of them raised it.
    raised: &'a BTreeMap<String, usize>,
}

impl Members<'_> {
    fn raised(&self, theme: &str) -> usize {
        self.raised.get(theme).copied().unwrap_or(0)
    }
}

/// A cell as the engine tracks it.
#[derive(Clone, Debug)]
struct Tracked<'a> {
    group: &'a str,
    population: usize,
    count: usize,
    verdict: Result<usize, Hidden>,
}

/// The quarter's classes as the engine sees them, with groups of fewer
/// than k people that quarter folded into the unlisted remainder.
fn members<'a>(classes: &[&'a Class], dims: &[&str], k: usize) -> Vec<Members<'a>> {
    let mut members: Vec<Members<'a>> = classes
        .iter()
        .map(|c| Members {
            groups: dims
                .iter()
                .map(|d| c.cohort.get(*d).map(String::as_str))
                .collect(),
            people: c.people,
            raised: &c.raised,
        })
        .collect();
    for i in 0..dims.len() {
        let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &members {
            if let Some(g) = m.groups[i] {
                *sizes.entry(g).or_insert(0) += m.people;
            }
        }
        for m in &mut members {
            if m.groups[i].is_some_and(|g| sizes.get(g).copied().unwrap_or(0) < k) {
                m.groups[i] = None;
            }
        }
    }
    members
}

/// People in both of two groups of different dimensions:
/// `(dimension i, dimension j, group in i, group in j) → people`.
type Overlaps<'a> = HashMap<(usize, usize, &'a str, &'a str), usize>;

fn overlaps<'a>(members: &[Members<'a>]) -> Overlaps<'a> {
    let mut out = HashMap::new();
    for m in members {
        for i in 0..m.groups.len() {
            for j in (i + 1)..m.groups.len() {
                if let (Some(a), Some(b)) = (m.groups[i], m.groups[j]) {
                    *out.entry((i, j, a, b)).or_insert(0) += m.people;
                }
            }
        }
    }
    out
}

/// The first-pass verdict of a cell: small, homogeneous, or released.
fn verdict(population: usize, count: usize, k: usize) -> Result<usize, Hidden> {
    if count < k {
        Err(Hidden::FewerThanK)
    } else if population - count < k {
        Err(Hidden::Homogeneous)
    } else {
        Ok(count)
    }
}

/// Whether a part of the org, of which at least `raised_min` raised the
/// theme and at least `quiet_min` did not, would give its people away:
/// everyone in it surely raised it, or surely did not.
fn gives_away(population: usize, raised_min: isize, quiet_min: isize) -> bool {
    population > 0 && (raised_min >= population as isize || quiet_min >= population as isize)
}

/// All cells of one theme and quarter, for `by=none` (index 0) and each
/// dimension (index 1 + i).
fn theme_cells<'a>(
    members: &[Members<'a>],
    overlaps: &Overlaps<'_>,
    theme: &str,
    dims: usize,
    k: usize,
) -> Vec<Vec<Tracked<'a>>> {
    let everyone: usize = members.iter().map(|m| m.people).sum();
    let total: usize = members.iter().map(|m| m.raised(theme)).sum();
    let mut views = vec![vec![Tracked {
        group: ALL,
        population: everyone,
        count: total,
        verdict: verdict(everyone, total, k),
    }]];
    for i in 0..dims {
        let mut cells: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for m in members {
            if let Some(g) = m.groups[i] {
                let cell = cells.entry(g).or_insert((0, 0));
                cell.0 += m.people;
                cell.1 += m.raised(theme);
            }
        }
        views.push(
            cells
                .into_iter()
                .map(|(group, (population, count))| Tracked {
                    group,
                    population,
                    count,
                    verdict: verdict(population, count, k),
                })
                .collect(),
        );
    }
    loop {
        let mut changed = false;
        for view in views.iter_mut().skip(1) {
            changed |= cover_hidden_mass(view, everyone, total, k);
        }
        changed |= cover_crossings(everyone, overlaps, &mut views, total);
        if !changed {
            return views;
        }
    }
}

/// The people not in a released group of one dimension (the hidden mass)
/// are known by subtraction from the org: they must be none, or hold ≥ k
/// who raised the theme and ≥ k who did not. Hides the smallest released
/// group until that holds; `true` if anything changed.
fn cover_hidden_mass(view: &mut [Tracked<'_>], everyone: usize, total: usize, k: usize) -> bool {
    let mut changed = false;
    loop {
        let (released_n, released_c) = view
            .iter()
            .filter(|c| c.verdict.is_ok())
            .fold((0, 0), |(n, c), cell| (n + cell.population, c + cell.count));
        let hidden_n = everyone - released_n;
        let hidden_c = total - released_c;
        if hidden_n == 0 || (hidden_c >= k && hidden_n - hidden_c >= k) {
            return changed;
        }
        let Some(smallest) = view
            .iter_mut()
            .filter(|c| c.verdict.is_ok())
            .min_by_key(|c| (c.count, c.group))
        else {
            return changed;
        };
        smallest.verdict = Err(Hidden::Complementary);
        changed = true;
    }
}

/// Two released groups of different dimensions bound the people in their
/// overlap (Fréchet bounds: at least `a + b − total` raised it). If that
/// decides everyone in the overlap, or in one group outside the other, the
/// smaller of the two is hidden; `true` if anything changed.
fn cover_crossings(
    everyone: usize,
    overlaps: &Overlaps<'_>,
    views: &mut [Vec<Tracked<'_>>],
    total: usize,
) -> bool {
    let everyone = everyone as isize;
    let total = total as isize;
    for i in 1..views.len() {
        for j in (i + 1)..views.len() {
            for a in 0..views[i].len() {
                for b in 0..views[j].len() {
                    let (ca, cb) = (&views[i][a], &views[j][b]);
                    if ca.verdict.is_err() || cb.verdict.is_err() {
                        continue;
                    }
                    let both = overlaps
                        .get(&(i - 1, j - 1, ca.group, cb.group))
                        .copied()
                        .unwrap_or(0);
                    let (na, nb, ra, rb) = (
                        ca.population as isize,
                        cb.population as isize,
                        ca.count as isize,
                        cb.count as isize,
                    );
                    let quiet_total = everyone - total;
                    let both_raised_min = ra + rb - total;
                    let both_quiet_min = (na - ra) + (nb - rb) - quiet_total;
                    let both = both as isize;
                    // Only in a: at least ra minus what the overlap can hold.
                    let a_only = (na - both).max(0) as usize;
                    let b_only = (nb - both).max(0) as usize;
                    let exposed = gives_away(both as usize, both_raised_min, both_quiet_min)
                        || gives_away(a_only, ra - rb.min(both), (na - ra) - (nb - rb).min(both))
                        || gives_away(b_only, rb - ra.min(both), (nb - rb) - (na - ra).min(both));
                    if exposed {
                        let hide = if ca.count <= cb.count { (i, a) } else { (j, b) };
                        views[hide.0][hide.1].verdict = Err(Hidden::Complementary);
                        return true;
                    }
                }
            }
        }
    }
    false
}

/// Every view of the report at once — `by=none` and each dimension — so the
/// protections hold across all the queries HR can make. Keys: `none` and the
/// dimension names.
pub fn reports_of_classes(
    classes: &[Class],
    themes: &[String],
    quarters: &[String],
    dims: &[&str],
    k: usize,
) -> BTreeMap<String, Vec<Cell>> {
    let k = k.max(MIN_K);
    let mut out: BTreeMap<String, Vec<Cell>> = BTreeMap::new();
    let mut by_quarter: HashMap<&str, Vec<&Class>> = HashMap::new();
    for c in classes {
        by_quarter.entry(c.quarter.as_str()).or_default().push(c);
    }
    for quarter in quarters {
        let in_quarter = by_quarter.remove(quarter.as_str()).unwrap_or_default();
        let members = members(&in_quarter, dims, k);
        let overlaps = overlaps(&members);
        for theme in themes {
            let views = theme_cells(&members, &overlaps, theme, dims.len(), k);
            for (v, cells) in views.into_iter().enumerate() {
                let key = if v == 0 { "none" } else { dims[v - 1] };
                out.entry(key.to_owned())
                    .or_default()
                    .extend(cells.into_iter().map(|c| Cell {
                        theme: theme.clone(),
                        period: quarter.clone(),
                        group: c.group.to_owned(),
                        count: c.verdict,
                    }));
            }
        }
    }
    out
}

/// [`reports_of_classes`] over raw records (tallied as intake would).
pub fn reports(
    records: &[Record],
    themes: &[String],
    quarters: &[String],
    dims: &[&str],
    k: usize,
) -> BTreeMap<String, Vec<Cell>> {
    reports_of_classes(&tally::classes(records), themes, quarters, dims, k)
}

/// The report over `classes` for `themes` in `quarters`, broken down by the
/// cohort dimension `by` (`None`: the whole org), protected against every
/// other view of [`reports_of_classes`] over `dims`.
pub fn report(
    classes: &[Class],
    themes: &[String],
    quarters: &[String],
    dims: &[&str],
    by: Option<&str>,
    k: usize,
) -> Vec<Cell> {
    reports_of_classes(classes, themes, quarters, dims, k)
        .remove(by.unwrap_or("none"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
