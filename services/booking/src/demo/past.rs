//! Sessions already held in the demo data: completed bookings with a record
//! (private notes encrypted under the master key), action items and
//! feedback, for every demo consultant; two still waiting for feedback and a
//! record; one missed.

use anyhow::Context;
use chrono::{DateTime, Utc};
use shared::contracts::ConsultantStanding;
use shared::db::Db;
use shared::ids::{OrgId, UserId};
use shared::time;

use super::hm;
use crate::domain::booking::{BookingId, BookingStatus};
use crate::store::{self, BookingRecord};
use sqlx::AnyConnection;

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

/// Past held sessions: one for each of the first twenty `employees` — but
/// for the last two of them, held yesterday with the first consultant and
/// still waiting for feedback and a record — then one for every consultant
/// open to the org who has none yet, with the other employees in turn; and
/// one missed session (no-show). Returns how many were held and recorded.
pub async fn seed_past_sessions(
    db: &Db,
    master: &crate::crypto::MasterKey,
    employees: &[UserId],
    standings: &[(UserId, ConsultantStanding)],
    org: OrgId,
) -> anyhow::Result<usize> {
    let consultants: Vec<UserId> = standings.iter().map(|(id, _)| *id).collect();
    let now = time::now();
    let first = &employees[..employees.len().min(20)];
    let mut tx = db.begin_write().await.context("seeding past sessions")?;
    let mut made = 0;
    let mut done: Vec<UserId> = Vec::new();
    // The `i`th consultant, or the next one open to the org.
    let open = |i: usize| {
        (0..standings.len())
            .map(|d| (i + d) % standings.len())
            .find(|&j| standings[j].1.open_to(Some(org)))
            .map(|j| &consultants[j])
    };
    for (k, employee) in first.iter().enumerate() {
        // The last two were held yesterday with the first consultant and
        // still wait for the employee's feedback and the consultant's record.
        let awaiting = first.len() >= 4 && k + 2 >= first.len();
        let consultant = if awaiting {
            consultants.first()
        } else {
            open(k * 7)
        };
        let Some(consultant) = consultant else {
            break;
        };
        let days_ago = if awaiting {
            1 + (k % 2) as i64
        } else {
            7 + 5 * k as i64
        };
        let start = (now - chrono::Duration::days(days_ago))
            .date_naive()
            .and_time(hm(if awaiting { 1 } else { 10 }, 0))
            .and_utc();
        let mut booking = completed(*employee, *consultant, org, start);
        if awaiting {
            booking.status = BookingStatus::Confirmed;
            store::insert_booking(&mut tx, &booking, time::to_db(booking.ends_at)).await?;
            continue;
        }
        held(&mut tx, master, &booking, k).await?;
        done.push(*consultant);
        made += 1;
    }
    // Every other consultant held one session too, with the employees after
    // the first twenty in turn, each employee's on a different day.
    let others = &employees[first.len()..];
    for (n, (consultant, standing)) in standings.iter().enumerate() {
        if others.is_empty() || done.contains(consultant) || !standing.open_to(Some(org)) {
            continue;
        }
        let start = (now - chrono::Duration::days(9 + 2 * (n / others.len()) as i64))
            .date_naive()
            .and_time(hm(10, 0))
            .and_utc();
        let booking = completed(others[n % others.len()], *consultant, org, start);
        held(&mut tx, master, &booking, n).await?;
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

fn completed(
    employee: UserId,
    consultant: UserId,
    org: OrgId,
    start: DateTime<Utc>,
) -> BookingRecord {
    BookingRecord {
        id: BookingId::new(),
        consultant_id: consultant,
        employee_id: employee,
        org_id: org,
        starts_at: start,
        ends_at: start + chrono::Duration::hours(1),
        status: BookingStatus::Completed,
        nickname: None,
        agenda: None,
        idempotency_key: None,
        rescheduled_to: None,
    }
}

/// Writes a held session with its record, one action item and the
/// employee's feedback (the `k`th of the demo's topics and ratings).
async fn held(
    tx: &mut AnyConnection,
    master: &crate::crypto::MasterKey,
    booking: &BookingRecord,
    k: usize,
) -> anyhow::Result<()> {
    let (theme, summary, action) = PAST_TOPICS[k % PAST_TOPICS.len()];
    let at = time::to_db(booking.ends_at);
    store::insert_booking(tx, booking, at).await?;
    let employee = booking.employee_id;
    let key = match store::wrapped_key(tx, employee).await? {
        Some(wrapped) => master.unwrap_data_key(&wrapped)?,
        None => {
            let (key, wrapped) = master.new_data_key()?;
            store::insert_wrapped_key(tx, employee, &wrapped, at).await?;
            key
        }
    };
    let notes = crate::crypto::encrypt(&key, "（デモ）面談メモ")?;
    store::save_record(tx, booking, &notes, &[theme.to_owned()], summary, false, at).await?;
    store::replace_action_items(tx, booking, &[action.to_owned()], at).await?;
    store::insert_feedback(
        tx,
        booking.id,
        4 + (k % 2) as i64,
        !k.is_multiple_of(3),
        false,
        at,
    )
    .await?;
    Ok(())
}
