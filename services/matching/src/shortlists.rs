//! The candidates each employee was shown, page after page, held in memory
//! so that "ten more" continues exactly what they saw: page N skips the
//! consultants of pages 1 to N − 1 as they were shown, even when the
//! catalogue, the clock's hour or the exposure snapshot changed in between.
//!
//! Nothing is written to the database on a read. A page asked of another
//! replica, or after a restart, finds nothing held here and is derived
//! again from the current inputs (see `candidates`).

use std::collections::HashMap;
use std::sync::Mutex;

use shared::ids::UserId;

use crate::domain::profile::ConsultantId;

/// Employees held at most; past it, the memory starts again.
const MAX_HELD: usize = 50_000;

/// The last shortlist of each employee, best first.
#[derive(Debug, Default)]
pub struct Shortlists {
    held: Mutex<HashMap<UserId, Vec<ConsultantId>>>,
}

impl Shortlists {
    /// The first `count` consultants the employee was shown (fewer when
    /// fewer are held).
    pub fn shown(&self, employee: UserId, count: usize) -> Vec<ConsultantId> {
        self.held
            .lock()
            .ok()
            .and_then(|held| {
                held.get(&employee)
                    .map(|ids| ids.iter().take(count).copied().collect())
            })
            .unwrap_or_default()
    }

    /// Records that the employee was shown `page` after the first `before`
    /// consultants of their shortlist (0 starts a new one).
    pub fn record(&self, employee: UserId, before: usize, page: &[ConsultantId]) {
        let Ok(mut held) = self.held.lock() else {
            return;
        };
        if held.len() >= MAX_HELD && !held.contains_key(&employee) {
            held.clear();
        }
        let ids = held.entry(employee).or_default();
        ids.truncate(before);
        ids.extend_from_slice(page);
    }

    /// Forgets the employee (erasure).
    pub fn forget(&self, employee: UserId) {
        if let Ok(mut held) = self.held.lock() {
            held.remove(&employee);
        }
    }
}

#[cfg(test)]
mod tests;
