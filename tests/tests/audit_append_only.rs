//! The audit tables are append-only in the database itself, on both
//! backends: rows go in, and no UPDATE or DELETE takes them out.

use shared::auth::{Caller, Role};
use taiwa_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(audit_rows_cannot_be_changed_or_deleted);

async fn audit_rows_cannot_be_changed_or_deleted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = Caller {
        user_id: app.fixtures.operator.id,
        role: Role::Operator,
        org_id: None,
    };
    for (log, table) in [
        (taiwa_booking::AUDIT, "booking_audit"),
        (taiwa_reporting::AUDIT, "reporting_audit"),
    ] {
        let mut tx = app.db.begin_write().await.expect("tx");
        log.record(&mut tx, &operator, "record.read", "object-1")
            .await
            .expect("an audit row goes in");
        tx.commit().await.expect("commit");
        let update = sqlx::query(&format!("UPDATE {table} SET action = 'nothing'"))
            .execute(app.db.pool())
            .await;
        assert!(update.is_err(), "{table}: UPDATE must be refused");
        let delete = sqlx::query(&format!("DELETE FROM {table}"))
            .execute(app.db.pool())
            .await;
        assert!(delete.is_err(), "{table}: DELETE must be refused");
        let mut conn = app.db.pool().acquire().await.expect("conn");
        let rows = log.newest(&mut conn, 10).await.expect("read");
        assert!(
            rows.iter()
                .any(|r| r.action == "record.read" && r.object_id == "object-1"),
            "{table}: the row is still there, unchanged"
        );
        assert!(rows.iter().all(|r| r.action != "nothing"));
    }
    if backend == Backend::Postgres {
        let truncate = sqlx::query("TRUNCATE booking_audit")
            .execute(app.db.pool())
            .await;
        assert!(truncate.is_err(), "TRUNCATE must be refused");
    }
    app.stop().await;
}
