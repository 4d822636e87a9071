//! The keyword index's one writer, with the digest of each document its
//! last commit holds (every commit carries their stamp, see `stored`).
//!
//! A write that fails leaves both as they were at the last commit: the
//! digests go back, and tantivy's writer is rolled back (its indexing worker
//! is gone after a failed flush) or, should that fail too, dropped and made
//! again on the next write. So no later commit is stamped as holding a
//! document that was lost.

use anyhow::Context;
use tantivy::schema::Field;
use tantivy::{Index, IndexWriter, Term, doc};

use super::stored::{self, Digests};
use crate::domain::profile::ConsultantId;

/// Memory for tantivy's indexing arena.
const ARENA_BYTES: usize = 15_000_000;

/// The index's fields: id, Japanese text, English text.
pub(super) type Fields = (Field, Field, Field);

pub(super) struct Writer {
    index: Index,
    /// `None` after a rollback failed: made again on the next write.
    writer: Option<IndexWriter>,
    pub(super) digests: Digests,
    /// Set when a failed write's outcome could not be read back: the digests
    /// may be wrong, so every write goes through and every commit carries a
    /// stamp that matches no catalogue (the next start rebuilds).
    pub(super) unsure: bool,
}

impl Writer {
    /// The writer of `index`, whose last commit holds `digests`.
    pub(super) fn new(index: &Index, digests: Digests) -> anyhow::Result<Self> {
        Ok(Self {
            writer: Some(Self::make(index)?),
            index: index.clone(),
            digests,
            unsure: false,
        })
    }

    fn make(index: &Index) -> anyhow::Result<IndexWriter> {
        index
            .writer_with_num_threads(1, ARENA_BYTES)
            .context("search index writer")
    }

    fn live(&mut self) -> anyhow::Result<&mut IndexWriter> {
        if self.writer.is_none() {
            self.writer = Some(Self::make(&self.index)?);
        }
        self.writer.as_mut().context("search index writer")
    }

    /// Adds a document without committing (building a new index whose
    /// digests the writer was made with).
    pub(super) fn add(
        &mut self,
        fields: Fields,
        id: ConsultantId,
        text: String,
    ) -> anyhow::Result<()> {
        add_document(self.live()?, fields, id, text)
    }

    /// The stamp a commit carries now.
    fn stamp(&self) -> String {
        if self.unsure {
            "unsure: rebuild at the next start".to_owned()
        } else {
            self.digests.stamp()
        }
    }

    /// Commits what was added and deleted, stamped with the digests.
    pub(super) fn commit(&mut self) -> anyhow::Result<()> {
        let stamp = self.stamp();
        self.commit_stamped(&stamp)
    }

    fn commit_stamped(&mut self, stamp: &str) -> anyhow::Result<()> {
        let mut prepared = self
            .live()?
            .prepare_commit()
            .context("committing the search index")?;
        prepared.set_payload(stamp);
        prepared.commit().context("committing the search index")?;
        Ok(())
    }

    /// Puts `id` in with `text`, or takes it out (`None`), and commits.
    pub(super) fn replace(
        &mut self,
        fields: Fields,
        id: ConsultantId,
        text: Option<String>,
    ) -> anyhow::Result<()> {
        let previous = self.digests.put(id, text.as_deref().map(stored::digest));
        let stamp = self.stamp();
        let Err(err) = self.write(fields, id, text, &stamp) else {
            return Ok(());
        };
        // A commit that reached the disk before the error stands.
        let persisted = match self.index.load_metas() {
            Ok(metas) => metas.payload.is_some_and(|payload| payload == stamp),
            Err(_) => {
                self.unsure = true;
                false
            }
        };
        if !persisted {
            self.digests.put(id, previous);
        }
        self.roll_back();
        if persisted { Ok(()) } else { Err(err) }
    }

    fn write(
        &mut self,
        fields: Fields,
        id: ConsultantId,
        text: Option<String>,
        stamp: &str,
    ) -> anyhow::Result<()> {
        let writer = self.live()?;
        writer.delete_term(Term::from_field_text(fields.0, &id.to_string()));
        if let Some(text) = text {
            add_document(writer, fields, id, text)?;
        }
        self.commit_stamped(stamp)
    }

    fn roll_back(&mut self) {
        let Some(writer) = self.writer.as_mut() else {
            return;
        };
        if let Err(err) = writer.rollback() {
            tracing::error!(error = %err, "rolling the search index's writer back failed; it is made again on the next write");
            self.writer = None;
        }
    }
}

fn add_document(
    writer: &mut IndexWriter,
    (id_field, ja, en): Fields,
    id: ConsultantId,
    text: String,
) -> anyhow::Result<()> {
    writer
        .add_document(doc!(id_field => id.to_string(), ja => text.clone(), en => text))
        .context("indexing a profile")?;
    Ok(())
}
