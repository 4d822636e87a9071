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

/// A request to be put in touch, with the contact as the employee agreed to it.
#[derive(Clone, Debug)]
pub struct SupportRequest {
    /// The contact's name then.
    pub contact_name: String,
    /// The address the request goes to.
    pub contact_email: String,
    /// When (epoch ms).
    pub created_at: i64,
}

/// The request the employee of `booking` made, if they did.
pub async fn support_request(
    conn: &mut AnyConnection,
    booking: BookingId,
) -> anyhow::Result<Option<SupportRequest>> {
    let row = sqlx::query(
        "SELECT contact_name, contact_email, created_at FROM booking_support_requests WHERE booking_id = $1",
    )
    .bind(booking.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(SupportRequest {
            contact_name: r.try_get("contact_name")?,
            contact_email: r.try_get("contact_email")?,
            created_at: r.try_get("created_at")?,
        })
    })
    .transpose()
}

/// Records the request; false when it was recorded already.
pub async fn insert_support_request(
    conn: &mut AnyConnection,
    booking: BookingId,
    request: &SupportRequest,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO booking_support_requests (booking_id, contact_name, contact_email, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (booking_id) DO NOTHING",
    )
    .bind(booking.to_string())
    .bind(&request.contact_name)
    .bind(&request.contact_email)
    .bind(request.created_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `email` is the address of one of the org's own Taiwa accounts
/// (its HR or its employees): never a support contact.
pub async fn is_address_of_org(
    conn: &mut AnyConnection,
    org: OrgId,
    email: &str,
) -> anyhow::Result<bool> {
    Ok(sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM booking_contacts WHERE org_id = $1 AND LOWER(email) = LOWER($2)",
    )
    .bind(org.to_string())
    .bind(email)
    .fetch_one(conn)
    .await?
        > 0)
}
