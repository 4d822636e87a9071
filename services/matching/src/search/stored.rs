//! The keyword index kept in a folder between starts (the embedded default),
//! so a restart opens it instead of indexing every profile again.
//!
//! Every commit carries a stamp: a digest of the index's format and of each
//! approved consultant's id and searchable text. At start-up the stored index
//! is opened only when its stamp equals the stamp of the catalogue just read
//! from the database, so it holds exactly what a fresh build would; otherwise
//! (a profile changed while the process was down, a crash between the
//! database's commit and the index's, a new format) it is rebuilt. Search
//! never answers from an index that does not match the catalogue, and
//! readiness waits for it as before.
//!
//! The folder holds only approved consultants' published profile text. Text
//! a consultant replaced, or a profile withdrawn, stays in the folder's
//! segment files as deleted documents until tantivy merges them (as it does
//! in memory); the database holds the profile in any case.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};
use tantivy::Index;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};

use super::{CatalogueSearch, schema, searchable_text};
use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::store::ConsultantRecord;

/// What the stored index's layout depends on beyond its schema: change it
/// whenever the analysers (n-gram sizes, lower-casing, stemming) change, so
/// an index written by an older build is rebuilt.
const FORMAT: &str = "taiwa-search 1: ja_ngram 1-2 lowercased, en_stem";

/// The digest of each indexed consultant's searchable text, by id.
#[derive(Debug, Default)]
pub(super) struct Digests(BTreeMap<ConsultantId, [u8; 32]>);

impl Digests {
    /// The digests of the approved consultants among `records`.
    pub(super) fn of(records: &[ConsultantRecord]) -> Self {
        let mut digests = Self::default();
        for record in records {
            if record.status == ApprovalStatus::Approved {
                digests.set(record.id, &searchable_text(record));
            }
        }
        digests
    }

    /// Records that `id` is indexed with `text`.
    pub(super) fn set(&mut self, id: ConsultantId, text: &str) {
        self.0.insert(id, Sha256::digest(text.as_bytes()).into());
    }

    /// Records that `id` is not indexed.
    pub(super) fn remove(&mut self, id: ConsultantId) {
        self.0.remove(&id);
    }

    /// The stamp of an index holding these (hex).
    pub(super) fn stamp(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(FORMAT.as_bytes());
        for (id, digest) in &self.0 {
            hash.update(id.0.as_bytes());
            hash.update(digest);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Opens the index stored in `folder` if its stamp is the stamp of
/// `records`, else builds one there from them.
pub(super) fn open_or_build(
    folder: &Path,
    records: &[ConsultantRecord],
) -> anyhow::Result<CatalogueSearch> {
    let digests = Digests::of(records);
    if let Some(index) = matching(folder, &digests.stamp())? {
        let search = CatalogueSearch::over(index, digests, true)?;
        search
            .reader
            .reload()
            .context("reloading the search reader")?;
        return Ok(search);
    }
    if folder.exists() {
        // Never empty a folder another writer holds (a second process on
        // the same data folder): the caller builds in memory instead.
        let directory = MmapDirectory::open(folder).context("opening the search index's folder")?;
        let held = directory
            .acquire_lock(&INDEX_WRITER_LOCK)
            .context("the search index's folder is in use")?;
        drop(held);
        drop(directory);
        std::fs::remove_dir_all(folder).context("emptying the search index's folder")?;
    }
    std::fs::create_dir_all(folder).context("creating the search index's folder")?;
    let index = Index::create_in_dir(folder, schema()).context("creating the search index")?;
    CatalogueSearch::fill(index, records)
}

/// The index in `folder` when there is one with this schema and `stamp`.
fn matching(folder: &Path, stamp: &str) -> anyhow::Result<Option<Index>> {
    if !folder.is_dir() {
        return Ok(None);
    }
    let directory = MmapDirectory::open(folder).context("opening the search index's folder")?;
    if !Index::exists(&directory).unwrap_or(false) {
        return Ok(None);
    }
    let Ok(index) = Index::open(directory) else {
        return Ok(None);
    };
    let stamped = index
        .load_metas()
        .ok()
        .and_then(|metas| metas.payload)
        .is_some_and(|payload| payload == stamp);
    Ok((stamped && index.schema() == schema()).then_some(index))
}

#[cfg(test)]
mod tests;
