//! Sessions to come in the demo data, so that every demo consultant and
//! employee has something ahead of them: one session for every consultant,
//! a second for the first twenty (so lists show their order), at free times
//! of their own hours, each paid with one of the org's credits as a real
//! booking is. No confirmation emails: the demo's mailbox stays readable.

use chrono::{DateTime, Duration, Utc};
use shared::db::Db;
use shared::ids::{OrgId, UserId};
use shared::time;

use crate::domain::availability::{Availability, Busy};
use crate::domain::booking::{Agenda, BookingId, BookingStatus, HelpWanted};
use crate::store::{self, BookingRecord};

const TOPICS: [(&str, HelpWanted); 4] = [
    (
        "（デモ）今後のキャリアの方向性を相談したい",
        HelpWanted::ThinkWithMe,
    ),
    ("（デモ）異動の希望をどう伝えるか", HelpWanted::AdviseMe),
    (
        "（デモ）最近の働き方について話を聞いてほしい",
        HelpWanted::JustListen,
    ),
    (
        "（デモ）資格の取り直しを考えている",
        HelpWanted::ThinkWithMe,
    ),
];

/// Books the demo's coming sessions (`consultants` with their hours, in the
/// order of the demo's accounts) and grants the org the credits they take,
/// so its balance is what it was; returns how many.
pub async fn seed_coming_sessions(
    db: &Db,
    consultants: &[(UserId, Availability)],
    employees: &[UserId],
    org: OrgId,
) -> anyhow::Result<usize> {
    if employees.is_empty() {
        return Ok(0);
    }
    let now = time::now();
    let at = time::to_db(now);
    let mut tx = db.begin_write().await?;
    let mut planned: Vec<BookingRecord> = Vec::new();
    for (n, (consultant, hours)) in consultants.iter().enumerate() {
        // Consultant n meets employee n mod E from day 3 + 2·(n / E) on; the
        // first twenty meet a second employee from day 14 on. Each takes the
        // consultant's first free time that leaves the employee an hour
        // between sessions.
        let mut plan = vec![(
            employees[n % employees.len()],
            3 + 2 * (n / employees.len()) as i64,
        )];
        if n < 20 {
            plan.push((employees[(n + 30) % employees.len()], 14));
        }
        for (k, (employee, days)) in plan.into_iter().enumerate() {
            let minutes = hours.session_minutes.last().copied().unwrap_or(60);
            let from = now + Duration::days(days);
            let to = from + Duration::days(14);
            let mut busy = store::busy(
                &mut tx,
                *consultant,
                from - Duration::days(2),
                to + Duration::days(2),
            )
            .await?;
            busy.extend(
                planned
                    .iter()
                    .filter(|b| b.consultant_id == *consultant)
                    .map(|b| Busy {
                        start: b.starts_at,
                        end: b.ends_at,
                    }),
            );
            let apart = |start: DateTime<Utc>, end: DateTime<Utc>| {
                planned
                    .iter()
                    .filter(|b| b.employee_id == employee)
                    .all(|b| {
                        end + Duration::hours(1) <= b.starts_at
                            || b.ends_at + Duration::hours(1) <= start
                    })
            };
            let Some(slot) = hours
                .slots(from, to, minutes, &busy, now)
                .into_iter()
                .find(|s| apart(s.start, s.end))
            else {
                continue;
            };
            let (topic, help) = &TOPICS[(n + k) % TOPICS.len()];
            let booking = BookingRecord {
                id: BookingId::new(),
                consultant_id: *consultant,
                employee_id: employee,
                org_id: org,
                starts_at: slot.start,
                ends_at: slot.end,
                status: BookingStatus::Confirmed,
                nickname: None,
                agenda: Some(Agenda {
                    topic: (*topic).to_owned(),
                    help: *help,
                }),
                idempotency_key: None,
                rescheduled_to: None,
            };
            planned.push(booking);
        }
    }
    let made = planned.len();
    let grant = i64::try_from(made)?;
    store::add_credits(
        &mut tx,
        org,
        grant,
        "grant",
        Some("demo data: coming sessions"),
        at,
    )
    .await?;
    for booking in &planned {
        store::insert_booking(&mut tx, booking, at).await?;
        crate::reminders::schedule(&mut tx, booking, now).await?;
        anyhow::ensure!(
            store::take_credit(&mut tx, db.backend(), org, booking.id, at).await?,
            "the demo org's balance did not cover its coming sessions"
        );
    }
    tx.commit().await?;
    Ok(made)
}
