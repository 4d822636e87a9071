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
/// standing)`, the demo's shortcut for matching's events) and `credits`
/// session credits for the demo org. Returns each
/// consultant's next free slot, which the demo hands to matching directly
/// (live changes travel as `booking.availability_changed.v1` events).
pub async fn seed(
    db: &Db,
    consultants: &[(UserId, shared::contracts::ConsultantStanding)],
    org: OrgId,
    credits: i64,
) -> anyhow::Result<Vec<(UserId, Option<chrono::DateTime<chrono::Utc>>)>> {
    let now = time::to_db(time::now());
    let mut tx = db
        .begin_write()
        .await
        .context("seeding booking demo data")?;
    let mut next = Vec::with_capacity(consultants.len());
    for (n, (consultant, standing)) in consultants.iter().enumerate() {
        store::save_availability(&mut tx, *consultant, &availability_for(n), now).await?;
        store::save_standing(&mut tx, *consultant, standing, now).await?;
        next.push((
            *consultant,
            next_available(&mut tx, *consultant, time::now()).await?,
        ));
    }
    store::add_credits(&mut tx, org, credits, "grant", Some("demo data"), now).await?;
    tx.commit().await.context("committing booking demo data")?;
    Ok(next)
}

const PAST_TOPICS: [(&str, &str, &str); 4] = [
    (
        "career_direction",
        "今後3年のキャリアの方向性を整理した。",
        "社内公募の情報を集める",
    ),
    (
        "workload",
        "業務量の偏りについて話した。",
        "上司との1on1で優先順位を相談する",
    ),
    (
        "transfer",
        "異動希望の伝え方を一緒に考えた。",
        "異動希望の理由を3つ書き出す",
    ),
    (
        "skills",
        "学び直しの計画を立てた。",
        "オンライン講座を1つ申し込む",
    ),
];

/// Past held sessions for the first `employees`: completed bookings with a
/// record (private notes encrypted under `master`), action items and feedback
/// — but for the last two, held yesterday with the first consultant and still
/// waiting for feedback and a record — and one missed session (no-show).
pub async fn seed_past_sessions(
    db: &Db,
    master: &crate::crypto::MasterKey,
    employees: &[UserId],
    consultants: &[UserId],
    org: OrgId,
) -> anyhow::Result<usize> {
    use crate::domain::booking::{BookingId, BookingStatus};
    use crate::store::BookingRecord;
    let now = time::now();
    let mut tx = db.begin_write().await.context("seeding past sessions")?;
    let mut made = 0;
    for (k, employee) in employees.iter().enumerate() {
        // The last two were held yesterday with the first consultant and
        // still wait for the employee's feedback and the consultant's record.
        let awaiting = employees.len() >= 4 && k + 2 >= employees.len();
        let consultant = if awaiting {
            consultants.first()
        } else {
            consultants.get((k * 7) % consultants.len().max(1))
        };
        let Some(consultant) = consultant else {
            break;
        };
        let (theme, summary, action) = PAST_TOPICS[k % PAST_TOPICS.len()];
        let days_ago = if awaiting {
            1 + (k % 2) as i64
        } else {
            7 + 5 * k as i64
        };
        let start = (now - chrono::Duration::days(days_ago))
            .date_naive()
            .and_time(hm(if awaiting { 1 } else { 10 }, 0))
            .and_utc();
        let booking = BookingRecord {
            id: BookingId::new(),
            consultant_id: *consultant,
            employee_id: *employee,
            org_id: org,
            starts_at: start,
            ends_at: start + chrono::Duration::hours(1),
            status: if awaiting {
                BookingStatus::Confirmed
            } else {
                BookingStatus::Completed
            },
            nickname: None,
            agenda: None,
            idempotency_key: None,
            rescheduled_to: None,
        };
        let at = time::to_db(start + chrono::Duration::hours(1));
        store::insert_booking(&mut tx, &booking, at).await?;
        if awaiting {
            continue;
        }
        let key = match store::wrapped_key(&mut tx, *employee).await? {
            Some(wrapped) => master.unwrap_data_key(&wrapped)?,
            None => {
                let (key, wrapped) = master.new_data_key()?;
                store::insert_wrapped_key(&mut tx, *employee, &wrapped, at).await?;
                key
            }
        };
        let notes = crate::crypto::encrypt(&key, "（デモ）面談メモ")?;
        store::save_record(
            &mut tx,
            &booking,
            &notes,
            &[theme.to_owned()],
            summary,
            false,
            at,
        )
        .await?;
        store::replace_action_items(&mut tx, &booking, &[action.to_owned()], at).await?;
        store::insert_feedback(
            &mut tx,
            booking.id,
            4 + (k % 2) as i64,
            k % 3 != 0,
            false,
            at,
        )
        .await?;
        made += 1;
    }
    // And one session the employee missed, as its consultant marked it.
    if let (Some(employee), Some(consultant)) = (employees.first(), consultants.last()) {
        let start = (now - chrono::Duration::days(3))
            .date_naive()
            .and_time(hm(15, 0))
            .and_utc();
        let missed = BookingRecord {
            id: BookingId::new(),
            consultant_id: *consultant,
            employee_id: *employee,
            org_id: org,
            starts_at: start,
            ends_at: start + chrono::Duration::hours(1),
            status: BookingStatus::NoShow,
            nickname: None,
            agenda: None,
            idempotency_key: None,
            rescheduled_to: None,
        };
        store::insert_booking(&mut tx, &missed, time::to_db(start)).await?;
    }
    tx.commit().await.context("committing past sessions")?;
    Ok(made)
}
