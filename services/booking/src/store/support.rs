//! `booking_support_contacts` and `booking_support_requests`: the crisis
//! path's org contact and who asked to be put in touch with it.

use shared::ids::OrgId;
use sqlx::{AnyConnection, Row};

use crate::domain::booking::BookingId;
use crate::domain::support::SupportContact;

/// An org's support contact, if HR set one.
pub async fn support_contact(
    conn: &mut AnyConnection,
    org: OrgId,
) -> anyhow::Result<Option<SupportContact>> {
    let row = sqlx::query(
        "SELECT name, email, phone, url, hours FROM booking_support_contacts WHERE org_id = $1",
    )
    .bind(org.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(SupportContact {
            name: r.try_get("name")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
            url: r.try_get("url")?,
            hours: r.try_get("hours")?,
        })
    })
    .transpose()
}

/// Sets an org's support contact.
pub async fn save_support_contact(
    conn: &mut AnyConnection,
    org: OrgId,
    c: &SupportContact,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO booking_support_contacts (org_id, name, email, phone, url, hours, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id) DO UPDATE SET name = excluded.name, \
         email = excluded.email, phone = excluded.phone, url = excluded.url, hours = excluded.hours, \
         updated_at = excluded.updated_at",
    )
    .bind(org.to_string())
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(&c.url)
    .bind(&c.hours)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// When the employee of `booking` asked to be put in touch, if they did.
pub async fn support_requested_at(
    conn: &mut AnyConnection,
    booking: BookingId,
) -> anyhow::Result<Option<i64>> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT created_at FROM booking_support_requests WHERE booking_id = $1",
    )
    .bind(booking.to_string())
    .fetch_optional(conn)
    .await?)
}

/// Records the request; false when it was recorded already.
pub async fn insert_support_request(
    conn: &mut AnyConnection,
    booking: BookingId,
    now: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO booking_support_requests (booking_id, created_at) VALUES ($1, $2) \
         ON CONFLICT (booking_id) DO NOTHING",
    )
    .bind(booking.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
