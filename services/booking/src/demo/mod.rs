//! Booking's part of the demo data: availability for every demo consultant
//! across time zones, their join links, and session credits for the demo org.
//! The availability summaries reach matching through the outbox, as in life.

use anyhow::Context;
use chrono::NaiveTime;
use chrono_tz::Tz;
use shared::db::Db;
use shared::ids::{OrgId, UserId};
use shared::time;

use crate::booking::next_available;
use crate::domain::availability::{Availability, WeeklyRule};
use crate::store;

mod coming;
mod past;

pub use past::seed_past_sessions;

const ZONES: [Tz; 4] = [
    chrono_tz::Asia::Tokyo,
    chrono_tz::Europe::London,
    chrono_tz::America::New_York,
    chrono_tz::Asia::Kolkata,
];

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

/// Availability for consultant number `n` (varied, deterministic).
fn availability_for(n: usize) -> Availability {
    let tz = if n % 10 < 7 {
        ZONES[0]
    } else {
        ZONES[1 + n % 3]
    };
    let mut weekly = Vec::new();
    for weekday in 1..=5u32 {
        if (n + weekday as usize).is_multiple_of(4) {
            continue; // a weekday off
        }
        match n % 3 {
            0 => weekly.push(WeeklyRule {
                weekday,
                start: hm(9, 0),
                end: hm(12, 0),
            }),
            1 => weekly.push(WeeklyRule {
                weekday,
                start: hm(13, 0),
                end: hm(18, 0),
            }),
            _ => {
                weekly.push(WeeklyRule {
                    weekday,
                    start: hm(10, 0),
                    end: hm(12, 0),
                });
                weekly.push(WeeklyRule {
                    weekday,
                    start: hm(19, 0),
                    end: hm(21, 30),
                });
            }
        }
    }
    if n.is_multiple_of(5) {
        weekly.push(WeeklyRule {
            weekday: 6,
            start: hm(10, 0),
            end: hm(15, 0),
        });
    }
    Availability {
        tz,
        weekly,
        overrides: Default::default(),
        session_minutes: if n.is_multiple_of(2) {
            vec![45, 60]
        } else {
            vec![60]
        },
        buffer_before: if n.is_multiple_of(3) { 15 } else { 10 },
        buffer_after: if n.is_multiple_of(3) { 15 } else { 10 },
        min_notice_minutes: [120, 720, 1440][n % 3],
        horizon_days: [30, 45, 60][n % 3],
        max_per_day: 3 + (n % 4) as u32,
    }
}

/// Records the demo people's addresses, orgs and cohorts, as identity's
/// `identity.contact_changed.v1` events would for real people.
pub async fn seed_contacts(db: &Db, contacts: &[store::NewContact]) -> anyhow::Result<()> {
    let now = time::to_db(time::now());
    let mut tx = db.begin_write().await.context("seeding booking contacts")?;
    for contact in contacts {
        store::save_contact(&mut tx, contact, now).await?;
    }
    tx.commit().await.context("committing booking contacts")?;
    Ok(())
}

/// Seeds availability and standing for the demo consultants (`(account,
/// standing)`, the demo's shortcut for matching's events), `credits`
/// session credits for the demo org, and sessions to come between the
/// consultants open to the org and `employees`. Returns each consultant's next free slot,
/// which the demo hands to matching directly (live changes travel as
/// `booking.availability_changed.v1` events), and how many sessions are to
/// come.
pub async fn seed(
    db: &Db,
    consultants: &[(UserId, shared::contracts::ConsultantStanding)],
    employees: &[UserId],
    org: OrgId,
    credits: i64,
) -> anyhow::Result<(Vec<(UserId, Option<chrono::DateTime<chrono::Utc>>)>, usize)> {
    let now = time::to_db(time::now());
    let mut tx = db
        .begin_write()
        .await
        .context("seeding booking demo data")?;
    let mut hours = Vec::with_capacity(consultants.len());
    for (n, (consultant, standing)) in consultants.iter().enumerate() {
        let availability = availability_for(n);
        store::save_availability(&mut tx, *consultant, &availability, now).await?;
        store::save_standing(&mut tx, *consultant, standing, now).await?;
        // Sessions to come only with consultants the org's people may book
        // (not those awaiting approval, suspended or tied to the org).
        if standing.open_to(Some(org)) {
            hours.push((*consultant, availability));
        }
    }
    store::add_credits(&mut tx, org, credits, "grant", Some("demo data"), now).await?;
    tx.commit().await.context("committing booking demo data")?;
    let coming = coming::seed_coming_sessions(db, &hours, employees, org)
        .await
        .context("seeding the demo's coming sessions")?;
    let mut conn = db.pool().acquire().await?;
    let mut next = Vec::with_capacity(consultants.len());
    for (consultant, _) in consultants {
        next.push((
            *consultant,
            next_available(&mut conn, *consultant, time::now()).await?,
        ));
    }
    Ok((next, coming))
}
