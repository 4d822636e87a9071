//! Reporting's part of the demo data: de-identified records for the demo org
//! over the last six months, as booking's hand-off would have produced them
//! (a pseudonym per person and month, themes, a short scrubbed summary).
//! Common themes clear the anonymity threshold; rare ones stay suppressed.

use anyhow::Context;
use chrono::{Datelike, Months, Utc};
use sha2::{Digest, Sha256};
use shared::db::Db;
use shared::ids::OrgId;
use shared::time;

use crate::store::{self, NewRecord};

/// Themes and how many of 60 people raise each in a month (before noise).
const MIX: [(&str, usize, &str); 9] = [
    ("career_direction", 22, "今後のキャリアの方向性を考えたい"),
    ("workload", 18, "業務量の偏りがつらい"),
    ("manager_relationship", 14, "上司とのコミュニケーション"),
    ("skills", 12, "学び直しの計画"),
    ("evaluation", 11, "評価の基準がわかりにくい"),
    ("transfer", 6, "異動の希望をどう伝えるか"),
    ("life_events", 4, "育児との両立"),
    ("pay", 3, "処遇への不満"),
    ("health", 5, "体調のこと"),
];

/// Seeds six months of records for `people` people of `org`; returns how many.
pub async fn seed(db: &Db, org: OrgId, people: usize) -> anyhow::Result<usize> {
    let now = Utc::now();
    let mut tx = db
        .begin_write()
        .await
        .context("seeding reporting demo data")?;
    let mut made = 0;
    for back in 0..6u32 {
        let month = now.checked_sub_months(Months::new(back)).unwrap_or(now);
        let period = format!("{:04}-{:02}", month.year(), month.month());
        for person in 0..people {
            let themes: Vec<String> = MIX
                .iter()
                .enumerate()
                .filter(|(t, (_, share, _))| {
                    (person * 7 + *t * 13 + back as usize * 3) % people
                        < *share + (back as usize % 3)
                })
                .map(|(_, (code, _, _))| (*code).to_owned())
                .collect();
            if themes.is_empty() {
                continue;
            }
            let summary = MIX
                .iter()
                .find(|(c, _, _)| *c == themes[0])
                .map_or("", |m| m.2);
            let digest = Sha256::digest(format!("demo/{org}/{period}/{person}").as_bytes());
            let pseudonym: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            let id = uuid::Uuid::now_v7().to_string();
            let record = NewRecord {
                id: &id,
                org_id: org,
                period: &period,
                pseudonym: &pseudonym,
                themes: &themes,
                summary,
                cohort: None,
            };
            store::insert_record(&mut tx, &record, time::to_db(now)).await?;
            made += 1;
        }
    }
    tx.commit()
        .await
        .context("committing reporting demo data")?;
    Ok(made)
}
