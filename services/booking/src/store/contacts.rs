//! What identity told booking about people (addresses, names, cohorts),
//! consultants' name deny lists, and erasing an employee's data.

use shared::ids::{OrgId, UserId};
use sqlx::{AnyConnection, Row};

/// Someone's address and name, as identity announced them.
#[derive(Clone, Debug)]
pub struct Contact {
    /// Email.
    pub email: String,
    /// Display name.
    pub display_name: String,
}

/// A person as identity announces them.
#[derive(Clone, Debug)]
pub struct NewContact {
    /// Who.
    pub user: UserId,
    /// Their org (employees and HR).
    pub org: Option<OrgId>,
    /// Address.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Cohort attributes HR gave (a JSON object), if any.
    pub cohort: Option<String>,
    /// The name and its reading HR gave (氏名, フリガナ), if any.
    pub name: PersonName,
}

/// A person's name and its reading as HR gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonName {
    /// Full name.
    pub full_name: Option<String>,
    /// Its reading, katakana.
    pub reading: Option<String>,
}

/// One of an org's people, as the summary scrubber needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgPerson {
    /// The name they show.
    pub display_name: String,
    /// The name HR gave, with its reading.
    pub name: PersonName,
}

/// Records (or updates) a person's contact.
pub async fn save_contact(
    conn: &mut AnyConnection,
    contact: &NewContact,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO booking_contacts (user_id, email, display_name, org_id, cohort, updated_at, full_name, name_reading) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, display_name = excluded.display_name, \
         org_id = excluded.org_id, cohort = excluded.cohort, updated_at = excluded.updated_at, \
         full_name = excluded.full_name, name_reading = excluded.name_reading",
    )
    .bind(contact.user.to_string())
    .bind(&contact.email)
    .bind(&contact.display_name)
    .bind(contact.org.map(|o| o.to_string()))
    .bind(contact.cohort.as_deref())
    .bind(now)
    .bind(contact.name.full_name.as_deref())
    .bind(contact.name.reading.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

/// An org's people with their names and readings: the org's deny list.
pub async fn org_people(conn: &mut AnyConnection, org: OrgId) -> anyhow::Result<Vec<OrgPerson>> {
    let rows = sqlx::query(
        "SELECT display_name, full_name, name_reading FROM booking_contacts WHERE org_id = $1",
    )
    .bind(org.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OrgPerson {
                display_name: r.try_get("display_name")?,
                name: PersonName {
                    full_name: r.try_get("full_name")?,
                    reading: r.try_get("name_reading")?,
                },
            })
        })
        .collect()
}

/// A person's cohort attributes (a JSON object), if HR gave any.
pub async fn cohort(conn: &mut AnyConnection, user: UserId) -> anyhow::Result<Option<String>> {
    Ok(sqlx::query_scalar::<_, Option<String>>(
        "SELECT cohort FROM booking_contacts WHERE user_id = $1",
    )
    .bind(user.to_string())
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// A consultant's own deny list of names.
pub async fn deny_list(
    conn: &mut AnyConnection,
    consultant: UserId,
) -> anyhow::Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT term FROM booking_name_deny_list WHERE consultant_id = $1 ORDER BY term",
    )
    .bind(consultant.to_string())
    .fetch_all(conn)
    .await?)
}

/// Replaces a consultant's deny list.
pub async fn replace_deny_list(
    conn: &mut AnyConnection,
    consultant: UserId,
    terms: &[String],
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM booking_name_deny_list WHERE consultant_id = $1")
        .bind(consultant.to_string())
        .execute(&mut *conn)
        .await?;
    for term in terms {
        sqlx::query("INSERT INTO booking_name_deny_list (consultant_id, term) VALUES ($1, $2)")
            .bind(consultant.to_string())
            .bind(term)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A person's contact, if identity announced one.
pub async fn contact(conn: &mut AnyConnection, user: UserId) -> anyhow::Result<Option<Contact>> {
    let row = sqlx::query("SELECT email, display_name FROM booking_contacts WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        Ok(Contact {
            email: r.try_get("email")?,
            display_name: r.try_get("display_name")?,
        })
    })
    .transpose()
}

/// Deletes what identifies or describes an employee: their notes' data key
/// (the notes become unreadable), agendas and nicknames, requests to be put
/// in touch with support, action items, and their contact details.
pub async fn erase_employee_data(conn: &mut AnyConnection, employee: UserId) -> anyhow::Result<()> {
    let id = employee.to_string();
    for sql in [
        "DELETE FROM booking_data_keys WHERE employee_id = $1",
        "DELETE FROM booking_support_requests WHERE booking_id IN \
           (SELECT id FROM booking_bookings WHERE employee_id = $1)",
        "UPDATE booking_bookings SET nickname = NULL, agenda = NULL WHERE employee_id = $1",
        "DELETE FROM booking_action_items WHERE employee_id = $1",
        "DELETE FROM booking_contacts WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(&id).execute(&mut *conn).await?;
    }
    Ok(())
}
