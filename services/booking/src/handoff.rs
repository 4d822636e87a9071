//! The de-identified hand-off to reporting: `booking.session_shared.v1`.
//!
//! Emitted once per session, only when the employee allowed sharing and the
//! consultant wrote the record (whichever comes second triggers it). It carries
//! the org, the month (in the organisations' zone) — the session's, or, when the session's
//! quarter is already released, the month the hand-off happens in (a released
//! quarter never changes: `shared::quarters`) — a pseudonym that is a keyed hash of the
//! employee within that org and quarter (a new key every quarter, so quarters
//! cannot be linked), the theme codes and the summary with contact details
//! and the names of the org's people and the consultant's deny list scrubbed,
//! and — only with the employee's cohort consent — the cohort attributes HR
//! gave (department, age band); never an employee, consultant or booking id,
//! nor an exact time.

use shared::contracts::{Cohort, Outcome, SessionClosed, SessionShared};
use shared::quarters::open_period;
use shared::time;
use sqlx::AnyConnection;

use crate::OUTBOX;
use crate::crypto::MasterKey;
use crate::scrub::{name_terms, scrub_summary};
use crate::store::{self, BookingRecord};

/// The month (`YYYY-MM`) and quarter (`YYYY-Qn`) a session is counted in,
/// in the organisations' zone: its own, unless that quarter is already released.
fn month_and_quarter(booking: &BookingRecord) -> (String, String) {
    let (month, quarter) = open_period(booking.starts_at, time::now());
    (month.to_string(), quarter.to_string())
}

/// Emits the hand-off for `booking` if it is due: record written, sharing
/// allowed, not sent before. Runs in the caller's transaction.
pub async fn maybe_hand_off(
    conn: &mut AnyConnection,
    master: &MasterKey,
    booking: &BookingRecord,
) -> anyhow::Result<bool> {
    let Some((share, cohort_consent)) = store::sharing(conn, booking.id).await? else {
        return Ok(false);
    };
    if !share {
        return Ok(false);
    }
    let Some(record) = store::find_record(conn, booking.id).await? else {
        return Ok(false);
    };
    if record.handed_off_at.is_some()
        || !store::mark_handed_off(conn, booking.id, time::to_db(time::now())).await?
    {
        return Ok(false);
    }
    // Keyed per quarter, the period reports are released for: one person is
    // one person within a quarter, and quarters cannot be linked.
    let (period, quarter) = month_and_quarter(booking);
    let pseudonym = master.pseudonym(
        &format!("{}/{quarter}", booking.org_id),
        &booking.employee_id.to_string(),
    );
    // The names of the org's people (and the readings HR gave), the
    // consultant's, the employee's nickname, and the consultant's own deny
    // list.
    let mut names = Vec::new();
    for person in store::org_people(conn, booking.org_id).await? {
        names.extend(name_terms(&person.display_name, None));
        if let Some(full) = &person.name.full_name {
            names.extend(name_terms(full, person.name.reading.as_deref()));
        }
    }
    if let Some(consultant) = store::contact(conn, booking.consultant_id).await? {
        names.extend(name_terms(&consultant.display_name, None));
    }
    // The nickname the employee showed the consultant names them too.
    if let Some(nickname) = &booking.nickname {
        names.extend(name_terms(nickname, None));
    }
    names.extend(store::deny_list(conn, booking.consultant_id).await?);
    let summary = scrub_summary(&record.org_summary, &names);
    let cohort: Option<Cohort> = if cohort_consent {
        store::cohort(conn, booking.employee_id)
            .await?
            .and_then(|c| serde_json::from_str(&c).ok())
    } else {
        None
    };
    OUTBOX
        .publish(
            conn,
            &SessionShared {
                org_id: booking.org_id,
                period,
                pseudonym,
                themes: record.themes,
                summary,
                cohort,
                crisis_path: record.crisis_path,
            },
        )
        .await?;
    Ok(true)
}

/// Emits the usage record of a session that just closed (`held` or
/// `no_show`), for every session whatever the employee chose about sharing:
/// org, month, outcome, and a pseudonym keyed per org and quarter under a
/// different key from the hand-off's (so the two cannot be joined). No
/// themes, no ids, no times. Reporting counts sessions and credits used per
/// quarter from these, under the same anonymity rules.
pub async fn session_closed(
    conn: &mut AnyConnection,
    master: &MasterKey,
    booking: &BookingRecord,
    outcome: Outcome,
) -> anyhow::Result<()> {
    let (period, quarter) = month_and_quarter(booking);
    let pseudonym = master.pseudonym(
        &format!("usage/{}/{quarter}", booking.org_id),
        &booking.employee_id.to_string(),
    );
    OUTBOX
        .publish(
            conn,
            &SessionClosed {
                org_id: booking.org_id,
                period,
                pseudonym,
                outcome,
            },
        )
        .await?;
    Ok(())
}
