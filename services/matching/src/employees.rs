//! What ranking needs of an employee: their latest values vector and their
//! preferences.
//!
//! On the embedded default one process owns the database, so the service
//! keeps what it read in memory and a request for matches reads no table:
//! nothing waits behind SQLite's one writer or hands off to its connection
//! threads. Every write of an assessment, of preferences or an erasure
//! commits through `commit_then_forget`, which forgets the employee once
//! the commit is done even if the request that wrote was cancelled; a read
//! that raced with such a write does not keep what it read. Wherever
//! another process may write the same rows (several processes, over
//! PostgreSQL or sharing one file), every request reads them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use anyhow::Context;
use shared::db::Db;
use shared::ids::UserId;

use crate::domain::instrument::ValuesVector;
use crate::store::{self, Preferences};

/// Employees held in memory at most (a view is a few hundred bytes: about
/// 15 MB at most); past it, the memory starts again.
const MAX_HELD: usize = 50_000;

/// An employee's ranking inputs.
#[derive(Debug)]
pub struct EmployeeView {
    /// The latest assessment's vector, if they answered it.
    pub vector: Option<ValuesVector>,
    /// Their preferences (defaults when never set).
    pub preferences: Preferences,
}

/// Employees' ranking inputs, read through memory where that is safe.
#[derive(Debug)]
pub struct EmployeeViews {
    /// Whether this process is the only writer (the embedded default).
    held: Option<RwLock<HashMap<UserId, Arc<EmployeeView>>>>,
    /// Counts writes: a read that saw it change does not keep its result.
    writes: AtomicU64,
}

impl EmployeeViews {
    /// Holds views in memory only when `sole_writer`: this process is the
    /// only one that writes matching's tables.
    pub fn new(sole_writer: bool) -> Self {
        Self {
            held: sole_writer.then(Default::default),
            writes: AtomicU64::new(0),
        }
    }

    /// The employee's view, from memory or the database.
    pub async fn get(&self, db: &Db, employee: UserId) -> anyhow::Result<Arc<EmployeeView>> {
        if let Some(view) = self
            .held
            .as_ref()
            .and_then(|held| held.read().ok()?.get(&employee).cloned())
        {
            return Ok(view);
        }
        let before = self.writes.load(Ordering::Acquire);
        let mut conn = db.pool().acquire().await?;
        let view = Arc::new(EmployeeView {
            vector: store::latest_vector(&mut conn, employee)
                .await?
                .map(|(_, v)| v),
            preferences: store::preferences(&mut conn, employee).await?,
        });
        drop(conn);
        if let Some(held) = &self.held
            && let Ok(mut held) = held.write()
            && self.writes.load(Ordering::Acquire) == before
        {
            if held.len() >= MAX_HELD {
                held.clear();
            }
            held.insert(employee, view.clone());
        }
        Ok(view)
    }

    /// Commits a write of the employee's assessment or preferences (or
    /// their erasure), then forgets what is held of them. Both run in a task
    /// of their own: a cancelled request cannot leave a committed write
    /// behind a stale view.
    pub async fn commit_then_forget(
        self: &Arc<Self>,
        tx: sqlx::Transaction<'static, sqlx::Any>,
        employee: UserId,
    ) -> anyhow::Result<()> {
        let views = Arc::clone(self);
        tokio::spawn(async move {
            let committed = tx.commit().await;
            views.forget(employee);
            committed
        })
        .await
        .context("committing")?
        .context("committing")
    }

    /// Drops what is held of an employee.
    fn forget(&self, employee: UserId) {
        self.writes.fetch_add(1, Ordering::AcqRel);
        if let Some(held) = &self.held
            && let Ok(mut held) = held.write()
        {
            held.remove(&employee);
        }
    }
}
