//! The keyword index kept in a folder between starts (the embedded default),
//! so a restart opens it instead of indexing every profile again.
//!
//! Every commit carries a stamp: a digest of the index's format (schema
//! aside, which is compared as well: the analysers and tantivy's version)
//! and of each approved consultant's id and searchable text. At start-up
//! the stored index is opened only when its stamp equals the stamp of the
//! catalogue just read from the database, its files pass tantivy's
//! checksums and few of its documents are deleted ones; so it holds the same
//! documents a fresh build would. Otherwise (a profile changed while the
//! process was down, a crash or a failed write between the database's
//! commit and the index's, damage, a new format) it is rebuilt. Search never
//! answers from an index that does not match the catalogue, and readiness
//! waits for it as before.
//!
//! Scores are BM25's over the stored segments, which count deleted
//! documents until tantivy merges them, so they can differ slightly from a
//! fresh build's; an index with more than one deleted document in
//! [`MOST_DELETED`] is rebuilt. The folder (mode 0700) holds approved
//! consultants' published profile text; text a consultant replaced, or a
//! withdrawn profile's, stays in deleted documents until those are merged
//! away or the index is rebuilt.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use sha2::{Digest, Sha256};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::{Index, TantivyError};

use super::{CatalogueSearch, schema, searchable_text};
use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::store::ConsultantRecord;

/// What the stored index's layout depends on beyond its schema; change it
/// whenever an analyser changes in a way not named here.
const FORMAT: &str = "taiwa-search 2: ja_ngram lowercased, en_stem";

/// A stored index with more deleted documents than one in this many is
/// rebuilt rather than opened.
const MOST_DELETED: u32 = 8;

/// The file that marks a folder as this index's (tantivy writes its own
/// `.managed.json` only once a segment exists).
const MARKER: &str = ".taiwa-search";

/// The digest of a consultant's searchable text.
pub(super) fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// The digest of each indexed consultant's searchable text, by id.
#[derive(Debug, Default)]
pub(super) struct Digests(BTreeMap<ConsultantId, [u8; 32]>);

impl Digests {
    /// The digests of the approved consultants among `records`.
    pub(super) fn of(records: &[ConsultantRecord]) -> Self {
        let mut digests = Self::default();
        for record in records {
            if record.status == ApprovalStatus::Approved {
                digests.put(record.id, Some(digest(&searchable_text(record))));
            }
        }
        digests
    }

    /// The digest `id` is indexed with, if it is.
    pub(super) fn get(&self, id: ConsultantId) -> Option<[u8; 32]> {
        self.0.get(&id).copied()
    }

    /// Records that `id` is indexed with `digest`, or not at all (`None`);
    /// returns what was recorded before.
    pub(super) fn put(&mut self, id: ConsultantId, digest: Option<[u8; 32]>) -> Option<[u8; 32]> {
        match digest {
            Some(digest) => self.0.insert(id, digest),
            None => self.0.remove(&id),
        }
    }

    /// The stamp of an index holding these (hex).
    pub(super) fn stamp(&self) -> String {
        let mut hash = Sha256::new();
        hash.update(FORMAT.as_bytes());
        hash.update(format!("{:?} {}", super::NGRAM_SIZES, tantivy::version_string()).as_bytes());
        for (id, digest) in &self.0 {
            hash.update(id.0.as_bytes());
            hash.update(digest);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Opens the index stored in `folder` if its stamp is the stamp of
/// `records`, else builds one there from them. Fails (and the caller builds
/// in memory) when another writer holds the folder or the folder is not one
/// this index may empty.
pub(super) fn open_or_build(
    folder: &Path,
    records: &[ConsultantRecord],
) -> anyhow::Result<CatalogueSearch> {
    let digests = Digests::of(records);
    let digests = match matching(folder, &digests.stamp())? {
        None => digests,
        Some(index) => match CatalogueSearch::over(index, digests, true) {
            Ok(search) => {
                search
                    .reader
                    .reload()
                    .context("reloading the search reader")?;
                return Ok(search);
            }
            Err(err) if is_busy(&err) => return Err(err),
            Err(err) => {
                tracing::warn!(error = %format!("{err:#}"), "the stored search index cannot be opened; rebuilding it");
                Digests::of(records)
            }
        },
    };
    empty(folder)?;
    let index = Index::create_in_dir(folder, schema()).context("creating the search index")?;
    CatalogueSearch::fill(index, records, digests)
}

/// Whether `err` is tantivy's writer lock held by someone else.
fn is_busy(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<TantivyError>(),
            Some(TantivyError::LockFailure(LockError::LockBusy, _))
        )
    })
}

/// Makes `folder` an empty folder only this user may read, removing an
/// index stored there before, but nothing else: a folder holding anything
/// but a tantivy index (which always has `.managed.json`), or one another
/// writer holds, is left alone. The old index is first renamed aside, so a
/// removal cut short never leaves half an index at `folder`.
fn empty(folder: &Path) -> anyhow::Result<()> {
    if folder.exists() {
        anyhow::ensure!(folder.is_dir(), "{} is not a folder", folder.display());
        anyhow::ensure!(
            is_ours(folder)?,
            "{} holds files that are not a search index",
            folder.display()
        );
        let directory = MmapDirectory::open(folder).context("opening the search index's folder")?;
        let held = directory
            .acquire_lock(&INDEX_WRITER_LOCK)
            .context("the search index's folder is in use")?;
        // One place aside, emptied first: an earlier removal cut short
        // leaves at most one old copy, and the next rebuild removes it.
        let aside = folder.with_extension("old");
        if aside.exists() {
            anyhow::ensure!(
                aside.is_dir() && is_ours(&aside)?,
                "{} holds files that are not a search index",
                aside.display()
            );
            std::fs::remove_dir_all(&aside).context("removing an old search index")?;
        }
        std::fs::rename(folder, &aside).context("moving the old search index aside")?;
        drop(held);
        drop(directory);
        if let Err(err) = std::fs::remove_dir_all(&aside) {
            tracing::warn!(error = %err, folder = %aside.display(), "removing the old search index failed; the next rebuild tries again");
        }
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(folder)
        .context("creating the search index's folder")?;
    std::fs::write(folder.join(MARKER), FORMAT).context("marking the search index's folder")
}

/// Whether `folder` is empty or holds this index (its marker, or tantivy's
/// `.managed.json` from before the marker).
fn is_ours(folder: &Path) -> anyhow::Result<bool> {
    Ok(std::fs::read_dir(folder)?.next().is_none()
        || folder.join(MARKER).is_file()
        || folder.join(".managed.json").is_file())
}

/// The index in `folder` when there is one with this schema and `stamp`,
/// whose files pass their checksums and which holds few deleted documents.
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
    let Ok(metas) = index.load_metas() else {
        return Ok(None);
    };
    if metas.payload.as_deref() != Some(stamp) || index.schema() != schema() {
        return Ok(None);
    }
    let (docs, deleted) = metas
        .segments
        .iter()
        .fold((0u32, 0u32), |(docs, deleted), s| {
            (docs + s.max_doc(), deleted + s.num_deleted_docs())
        });
    if deleted > docs / MOST_DELETED {
        return Ok(None);
    }
    // tantivy checks the segment files it manages; one it does not list
    // would go unchecked, so such an index is not opened either.
    let managed = index.directory().list_managed_files();
    let all_managed = metas
        .list_segment_files()
        .iter()
        .all(|file| managed.contains(file) || !folder.join(file).exists());
    let intact = all_managed
        && index
            .validate_checksum()
            .is_ok_and(|damaged| damaged.is_empty());
    Ok(intact.then_some(index))
}

#[cfg(test)]
mod tests;
