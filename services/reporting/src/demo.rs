//! Reporting's part of the demo data: de-identified records for the demo org
//! over the last four released quarters (and the running one), as booking's
//! hand-off would have produced them: a pseudonym per person and quarter,
//! one or two sessions a quarter, themes, a short scrubbed summary, and —
//! for the four in five who consented — a department and an age band.
//! Common themes clear the anonymity rules; rare ones, the small legal
//! department and near-unanimous cells stay suppressed.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{Datelike, Months, Utc};
use sha2::{Digest, Sha256};
use shared::db::Db;
use shared::ids::OrgId;
use shared::time;

use crate::store::{self, NewRecord};

/// Themes, how many in a hundred people raise each in a quarter, and a summary.
const MIX: [(&str, usize, &str); 10] = [
    ("career_direction", 34, "今後のキャリアの方向性を考えたい"),
    ("workload", 27, "業務量の偏りがつらい"),
    ("manager_relationship", 21, "上司とのコミュニケーション"),
    ("skills", 18, "学び直しの計画"),
    ("evaluation", 15, "評価の基準がわかりにくい"),
    ("transfer", 9, "異動の希望をどう伝えるか"),
    ("life_events", 6, "育児との両立"),
    ("second_career", 4, "定年後の働き方"),
    ("pay", 3, "処遇への不満"),
    ("health", 5, "体調のこと"),
];

/// Departments with their share of a hundred people (legal is small on purpose).
const DEPARTMENTS: [(&str, usize); 5] = [
    ("営業部", 34),
    ("開発部", 30),
    ("管理部", 16),
    ("カスタマーサポート部", 16),
    ("法務部", 4),
];

const AGE_BANDS: [&str; 5] = ["under_30", "30s", "40s", "50s", "60_plus"];

fn department(person: usize) -> &'static str {
    let mut slot = (person * 37) % 100;
    for (name, share) in DEPARTMENTS {
        if slot < share {
            return name;
        }
        slot -= share;
    }
    DEPARTMENTS[0].0
}

/// Seeds `people` people a quarter for `org` over the last five quarters;
/// returns how many records.
pub async fn seed(db: &Db, org: OrgId, people: usize) -> anyhow::Result<usize> {
    let now = Utc::now();
    let mut tx = db
        .begin_write()
        .await
        .context("seeding reporting demo data")?;
    let mut made = 0;
    for back in 0..5u32 {
        let in_quarter = now.checked_sub_months(Months::new(3 * back)).unwrap_or(now);
        let quarter = format!("{}-Q{}", in_quarter.year(), in_quarter.month().div_ceil(3));
        let first_month = (in_quarter.month() - 1) / 3 * 3 + 1;
        for person in 0..people {
            // Themes lean by department, so the breakdown shows differences.
            let dept = department(person);
            let themes: Vec<String> = MIX
                .iter()
                .enumerate()
                .filter(|(t, (code, share, _))| {
                    let lean = match (dept, *code) {
                        ("営業部", "workload") | ("開発部", "skills") => 15,
                        ("管理部", "evaluation") => 10,
                        _ => 0,
                    };
                    (person * 53 + t * 29 + back as usize * 11) % 100 < share + lean
                })
                .map(|(_, (code, _, _))| (*code).to_owned())
                .collect();
            if themes.is_empty() {
                continue;
            }
            let consented = person % 5 != 4;
            let cohort = consented.then(|| {
                serde_json::to_string(&BTreeMap::from([
                    ("department", dept),
                    ("age_band", AGE_BANDS[(person * 7) % AGE_BANDS.len()]),
                ]))
            });
            let cohort = cohort.transpose()?;
            let digest = Sha256::digest(format!("demo/{org}/{quarter}/{person}").as_bytes());
            let pseudonym: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            // One session, or two in different months of the quarter.
            let sessions = 1 + person % 2;
            for s in 0..sessions {
                let month = first_month + ((person + s) % 3) as u32;
                let period = format!("{:04}-{month:02}", in_quarter.year());
                let summary = MIX
                    .iter()
                    .find(|(c, _, _)| *c == themes[s % themes.len()])
                    .map_or("", |m| m.2);
                let id = uuid::Uuid::now_v7().to_string();
                let record = NewRecord {
                    id: &id,
                    org_id: org,
                    period: &period,
                    pseudonym: &pseudonym,
                    themes: &themes,
                    summary,
                    cohort: cohort.clone(),
                    crisis_path: false,
                };
                store::record_session(&mut tx, db.backend(), &record, time::to_db(now)).await?;
                made += 1;
                // Its usage record, under the usage key (one in 25 missed).
                let outcome = if (person + s) % 25 == 0 {
                    "no_show"
                } else {
                    "held"
                };
                store::insert_usage(
                    &mut tx,
                    &uuid::Uuid::now_v7().to_string(),
                    org,
                    &period,
                    &format!("usage-{pseudonym}"),
                    outcome,
                    time::to_db(now),
                )
                .await?;
            }
        }
    }
    // The company the records describe: 1,000 employees; legal (40) is too
    // small to be a group of its own.
    let mut sizes = store::CohortSizes::new();
    for (name, share) in DEPARTMENTS {
        sizes
            .entry("department".to_owned())
            .or_default()
            .insert(name.to_owned(), share as i64 * 10);
    }
    for band in AGE_BANDS {
        sizes
            .entry("age_band".to_owned())
            .or_default()
            .insert(band.to_owned(), 200);
    }
    store::replace_cohort_sizes(&mut tx, org, &sizes, time::to_db(now)).await?;
    tx.commit()
        .await
        .context("committing reporting demo data")?;
    Ok(made)
}
