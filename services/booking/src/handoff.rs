//! The de-identified hand-off to reporting: `booking.session_shared.v1`.
//!
//! Emitted once per session, only when the employee allowed sharing and the
//! consultant wrote the record (whichever comes second triggers it). It carries
//! the org, the month (Japan time), a pseudonym that is a keyed hash of the
//! employee within that org and month (a new key every month, so months
//! cannot be linked), the theme codes and the summary with contact details
//! scrubbed — and never an employee, consultant or booking id, nor an exact
//! time. The cohort is `null` until orgs can configure cohort attributes.

use chrono::Datelike;
use serde_json::json;
use shared::time;
use sqlx::AnyConnection;

use crate::OUTBOX;
use crate::crypto::MasterKey;
use crate::store::{self, BookingRecord};

/// Topic of the hand-off.
pub const SESSION_SHARED: &str = "booking.session_shared.v1";

/// Replaces email addresses, URLs and long digit runs (phone, staff numbers).
pub fn scrub(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_addr = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        // URLs: http(s):// up to whitespace or a non-ASCII character.
        let rest: String = chars[i..chars.len().min(i + 8)].iter().collect();
        if rest.starts_with("http://") || rest.starts_with("https://") {
            while i < chars.len() && chars[i].is_ascii() && !chars[i].is_whitespace() {
                i += 1;
            }
            out.push_str("[url]");
            continue;
        }
        // Emails: expand around '@'.
        if chars[i] == '@' {
            let mut start = i;
            while start > 0 && is_addr(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && is_addr(chars[end]) {
                end += 1;
            }
            if start < i && end > i + 1 {
                let keep = out.chars().count() - (i - start);
                out = out.chars().take(keep).collect();
                out.push_str("[email]");
                i = end;
                continue;
            }
        }
        // Digit runs with at least 6 digits (phones, employee numbers).
        if chars[i].is_ascii_digit() || chars[i] == '+' {
            let mut end = i;
            let mut digits = 0;
            while end < chars.len()
                && (chars[end].is_ascii_digit()
                    || matches!(chars[end], '-' | '+' | '(' | ')' | ' '))
            {
                digits += usize::from(chars[end].is_ascii_digit());
                end += 1;
            }
            if digits >= 6 {
                out.push_str("[number]");
                if end > 0 && chars[end - 1] == ' ' {
                    out.push(' ');
                }
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Emits the hand-off for `booking` if it is due: record written, sharing
/// allowed, not sent before. Runs in the caller's transaction.
pub async fn maybe_hand_off(
    conn: &mut AnyConnection,
    master: &MasterKey,
    booking: &BookingRecord,
) -> anyhow::Result<bool> {
    let Some((share, _cohort)) = store::sharing(conn, booking.id).await? else {
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
    let local = booking.starts_at.with_timezone(&chrono_tz::Asia::Tokyo);
    let period = format!("{:04}-{:02}", local.year(), local.month());
    let pseudonym = master.pseudonym(
        &format!("{}/{period}", booking.org_id),
        &booking.employee_id.to_string(),
    );
    OUTBOX
        .enqueue(
            conn,
            SESSION_SHARED,
            &json!({
                "org_id": booking.org_id,
                "period": period,
                "pseudonym": pseudonym,
                "themes": record.themes,
                "summary": scrub(&record.org_summary),
                "cohort": null,
            }),
        )
        .await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn contact_details_are_removed_in_japanese_and_english_text() {
        assert_eq!(
            scrub("連絡はhanako.sato@example.co.jpまで"),
            "連絡は[email]まで"
        );
        assert_eq!(
            scrub("call +81 90-1234-5678 or see https://intra.example.com/x?id=3 today"),
            "call [number] or see [url] today"
        );
        assert_eq!(scrub("社員番号 0012345 の件"), "社員番号 [number] の件");
        assert_eq!(scrub("2026年に3回"), "2026年に3回", "short numbers stay");
        assert_eq!(scrub("評価制度への不安"), "評価制度への不安");
    }
}
