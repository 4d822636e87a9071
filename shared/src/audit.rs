//! The append-only audit trail each service keeps of sensitive reads (private
//! notes) and exports (reports): who, what, when — never the content. Each
//! service writes its own table (`<service>_audit`) with these helpers; rows
//! are only ever inserted. Writing the row comes first, in the same
//! transaction as the read, so a read whose audit cannot be written fails.

use serde::Serialize;
use sqlx::{AnyConnection, Row};
use utoipa::ToSchema;

use anyhow::Context;

use crate::auth::Caller;
use crate::db::{Backend, Db};
use crate::time;

/// An audit table.
#[derive(Clone, Copy, Debug)]
pub struct AuditLog {
    table: &'static str,
}

/// One audit entry.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    /// When (RFC 3339, UTC).
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (user id).
    pub actor_id: String,
    /// Their role.
    pub actor_role: String,
    /// What, e.g. `record.read`, `report.export`.
    pub action: String,
    /// On what (a booking id, an org id).
    pub object_id: String,
}

/// The newest audit entries, as operators read them.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first, at most [`AuditLog::PAGE`].
    pub items: Vec<AuditEntry>,
}

impl AuditLog {
    /// Most entries one read returns.
    pub const PAGE: i64 = 1000;

    /// The log in `table`.
    pub const fn new(table: &'static str) -> Self {
        Self { table }
    }

    /// Records that `caller` did `action` on `object`.
    pub async fn record(
        &self,
        conn: &mut AnyConnection,
        caller: &Caller,
        action: &str,
        object: &str,
    ) -> anyhow::Result<()> {
        let sql = format!(
            "INSERT INTO {} (id, at, actor_id, actor_role, action, object_id) VALUES ($1, $2, $3, $4, $5, $6)",
            self.table
        );
        sqlx::query(&sql)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(time::to_db(time::now()))
            .bind(caller.user_id.to_string())
            .bind(caller.role.as_str())
            .bind(action)
            .bind(object)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Makes the table append-only in the database itself: a trigger refuses
    /// every UPDATE and DELETE (and, on PostgreSQL, TRUNCATE), so not even a
    /// bug or a hand-typed statement on the service's own connection can
    /// rewrite history. Idempotent; run at every start, after migrations.
    pub async fn enforce_append_only(&self, db: &Db) -> anyhow::Result<()> {
        let t = self.table;
        let mut tx = db.begin_write().await?;
        let statements = match db.backend() {
            Backend::Sqlite => vec![
                format!("CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"),
                format!("CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t} BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"),
            ],
            Backend::Postgres => vec![
                // Replicas may start together: one at a time.
                "SELECT pg_advisory_xact_lock(7242655)".to_owned(),
                "CREATE OR REPLACE FUNCTION taiwa_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$".to_owned(),
                format!("CREATE OR REPLACE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION taiwa_refuse_audit_change()"),
                format!("CREATE OR REPLACE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION taiwa_refuse_audit_change()"),
            ],
        };
        for sql in statements {
            sqlx::raw_sql(&sql)
                .execute(&mut *tx)
                .await
                .with_context(|| format!("making {t} append-only"))?;
        }
        tx.commit()
            .await
            .context("making an audit table append-only")?;
        Ok(())
    }

    /// The newest `limit` entries.
    pub async fn newest(
        &self,
        conn: &mut AnyConnection,
        limit: i64,
    ) -> anyhow::Result<Vec<AuditEntry>> {
        let sql = format!(
            "SELECT at, actor_id, actor_role, action, object_id FROM {} ORDER BY at DESC, id DESC LIMIT $1",
            self.table
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(conn).await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: time::from_db(r.try_get("at")?),
                    actor_id: r.try_get("actor_id")?,
                    actor_role: r.try_get("actor_role")?,
                    action: r.try_get("action")?,
                    object_id: r.try_get("object_id")?,
                })
            })
            .collect()
    }
}
