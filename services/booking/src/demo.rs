//! Booking's part of the demo data: availability for every demo consultant
//! across time zones, their join links, and session credits for the demo org.
//! The availability summaries reach matching through the outbox, as in life.

use anyhow::Context;
use chrono::NaiveTime;
use chrono_tz::Tz;
use shared::db::Db;
use shared::ids::{OrgId, UserId};
use shared::time;

use crate::domain::availability::{Availability, WeeklyRule};
use crate::events::next_available;
use crate::store;

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

/// Records the demo people's addresses (`(account, email, name)`), as
/// identity's `identity.contact_changed.v1` events would for real people.
pub async fn seed_contacts(db: &Db, contacts: &[(UserId, String, String)]) -> anyhow::Result<()> {
    let now = time::to_db(time::now());
    let mut tx = db.begin_write().await.context("seeding booking contacts")?;
    for (user, email, name) in contacts {
        store::save_contact(&mut tx, *user, email, name, now).await?;
    }
    tx.commit().await.context("committing booking contacts")?;
    Ok(())
}

/// Seeds availability and join links for the demo consultants (`(account,
/// meeting URL)`) and `credits` session credits for the demo org. Returns each
/// consultant's next free slot, which the demo hands to matching directly
/// (live changes travel as `booking.availability_changed.v1` events).
pub async fn seed(
    db: &Db,
    consultants: &[(UserId, Option<String>)],
    org: OrgId,
    credits: i64,
) -> anyhow::Result<Vec<(UserId, Option<chrono::DateTime<chrono::Utc>>)>> {
    let now = time::to_db(time::now());
    let mut tx = db
        .begin_write()
        .await
        .context("seeding booking demo data")?;
    let mut next = Vec::with_capacity(consultants.len());
    for (n, (consultant, meeting_url)) in consultants.iter().enumerate() {
        store::save_availability(&mut tx, *consultant, &availability_for(n), now).await?;
        store::set_meeting_url(&mut tx, *consultant, meeting_url.as_deref(), now).await?;
        next.push((
            *consultant,
            next_available(&mut tx, *consultant, time::now()).await?,
        ));
    }
    store::add_credits(&mut tx, org, credits, "grant", Some("demo data"), now).await?;
    tx.commit().await.context("committing booking demo data")?;
    Ok(next)
}
