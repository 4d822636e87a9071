//! Keyword search over approved profiles with tantivy, in memory.
//!
//! Japanese has no spaces between words, so profiles are indexed as character
//! unigrams and bigrams (tantivy's `NgramTokenizer`); a query word must match
//! all of its bigrams, so 転職 finds キャリア転職支援. English is indexed a
//! second time with tantivy's stemming analyser, so "careers" finds "career".
//! A query's words must all match (each in either field); results are ranked
//! by BM25. We chose tantivy (a maintained Lucene-like library) over a
//! morphological analyser such as vibrato + mecab-ipadic because profiles are
//! short and n-grams need no dictionary, find any substring (product and
//! company names a dictionary does not know), and mix with English.

use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{LowerCaser, NgramTokenizer, TextAnalyzer, TokenStream};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::domain::taxonomy::{QUALIFICATIONS, REGIONS, SPECIALTIES, find};
use crate::store::ConsultantRecord;

mod stored;
mod writer;

use stored::Digests;
use writer::Writer;

const NGRAM: &str = "ja_ngram";
/// The n-gram sizes of the Japanese field (unigrams and bigrams), lower-cased.
const NGRAM_SIZES: (usize, usize) = (1, 2);
const STEM: &str = "en_stem";

/// The search index.
pub struct CatalogueSearch {
    index: Index,
    reader: IndexReader,
    writer: Mutex<Writer>,
    id: Field,
    ja: Field,
    en: Field,
    reused: bool,
}

impl std::fmt::Debug for CatalogueSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogueSearch").finish_non_exhaustive()
    }
}

fn searchable_text(r: &ConsultantRecord) -> String {
    let p = &r.profile;
    let mut parts = vec![
        p.display_name.clone(),
        p.headline.clone(),
        p.message.clone(),
    ];
    for code in &p.specialties {
        if let Some(t) = find(&SPECIALTIES, code) {
            parts.push(format!("{} {}", t.ja, t.en));
        }
    }
    parts.extend(p.industries.iter().cloned());
    if let Some(t) = find(&REGIONS, &p.region) {
        parts.push(format!("{} {}", t.ja, t.en));
    }
    if let Some(t) = find(&QUALIFICATIONS, &p.qualification) {
        parts.push(format!("{} {}", t.ja, t.en));
    }
    parts.join("\n")
}

/// The index's fields: the consultant's id, and the searchable text twice
/// (Japanese n-grams, English stems).
fn schema() -> Schema {
    let mut schema = Schema::builder();
    schema.add_text_field("id", STRING | STORED);
    let indexing = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    schema.add_text_field("text_ja", indexing(NGRAM));
    schema.add_text_field("text_en", indexing(STEM));
    schema.build()
}

impl CatalogueSearch {
    /// An index in memory of the approved consultants among `records`.
    pub fn build(records: &[ConsultantRecord]) -> anyhow::Result<Self> {
        Self::fill(
            Index::create_in_ram(schema()),
            records,
            Digests::of(records),
        )
    }

    /// The index kept in `folder` if it holds exactly the approved
    /// consultants among `records` as they are now, else one built from them
    /// there (in memory should the folder fail); see [`stored`].
    pub fn open_or_build(folder: &Path, records: &[ConsultantRecord]) -> anyhow::Result<Self> {
        // A damaged folder must not stop the start, even should tantivy
        // panic on it.
        let stored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            stored::open_or_build(folder, records)
        }))
        .unwrap_or_else(|_| Err(anyhow::anyhow!("opening the stored index panicked")));
        match stored {
            Ok(search) => Ok(search),
            Err(err) => {
                tracing::warn!(error = %format!("{err:#}"), "the stored search index cannot be used; building it in memory");
                Self::build(records)
            }
        }
    }

    /// Whether this index was opened as stored rather than built.
    pub fn reused(&self) -> bool {
        self.reused
    }

    /// `index` (new and empty) filled with the approved among `records`,
    /// whose `digests` the caller has (`Digests::of(records)`).
    fn fill(index: Index, records: &[ConsultantRecord], digests: Digests) -> anyhow::Result<Self> {
        let search = Self::over(index, digests, false)?;
        {
            let mut writer = search.writer()?;
            for record in records {
                if record.status == ApprovalStatus::Approved {
                    writer.add(search.fields(), record.id, searchable_text(record))?;
                }
            }
            writer.commit()?;
        }
        search
            .reader
            .reload()
            .context("reloading the search reader")?;
        Ok(search)
    }

    /// Opens `index` for searching and writing; `digests` are what it holds.
    fn over(index: Index, digests: Digests, reused: bool) -> anyhow::Result<Self> {
        let field = |name: &str| index.schema().get_field(name).context("search index field");
        let (id, ja, en) = (field("id")?, field("text_ja")?, field("text_en")?);
        let ngram =
            NgramTokenizer::new(NGRAM_SIZES.0, NGRAM_SIZES.1, false).context("ngram tokenizer")?;
        index.tokenizers().register(
            NGRAM,
            TextAnalyzer::builder(ngram).filter(LowerCaser).build(),
        );
        let writer = Writer::new(&index, digests)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("search reader")?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            id,
            ja,
            en,
            reused,
        })
    }

    fn fields(&self) -> writer::Fields {
        (self.id, self.ja, self.en)
    }

    fn writer(&self) -> anyhow::Result<std::sync::MutexGuard<'_, Writer>> {
        self.writer
            .lock()
            .map_err(|_| anyhow::anyhow!("search writer poisoned"))
    }

    /// Re-indexes one consultant (removes it unless approved); nothing to do
    /// when the index already holds it as it is. Blocks on the disk for a
    /// stored index: call it off the async runtime.
    pub fn upsert(&self, record: &ConsultantRecord) -> anyhow::Result<()> {
        let text = (record.status == ApprovalStatus::Approved).then(|| searchable_text(record));
        let mut writer = self.writer()?;
        // Unchanged text writes nothing; the reader is reloaded all the same
        // (cheap when nothing changed), in case an earlier reload failed.
        if writer.unsure || writer.digests.get(record.id) != text.as_deref().map(stored::digest) {
            writer.replace(self.fields(), record.id, text)?;
        }
        self.reader
            .reload()
            .context("reloading the search reader")?;
        Ok(())
    }

    fn tokens(&self, analyzer: &str, text: &str) -> Vec<String> {
        let Some(mut analyzer) = self.index.tokenizers().get(analyzer) else {
            return Vec::new();
        };
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    fn word_query(&self, word: &str) -> Box<dyn Query> {
        // Japanese field: every bigram of the word (its one character if alone).
        let grams: Vec<String> = self.tokens(NGRAM, word);
        let chars = word.chars().count();
        let wanted: Vec<&String> = grams
            .iter()
            .filter(|g| chars == 1 || g.chars().count() == 2)
            .collect();
        let must = |field: Field, terms: &[&String]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                terms
                    .iter()
                    .map(|t| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(field, t),
                            IndexRecordOption::WithFreqs,
                        ));
                        (Occur::Must, q)
                    })
                    .collect(),
            ))
        };
        let stems = self.tokens(STEM, word);
        let stem_refs: Vec<&String> = stems.iter().collect();
        let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !wanted.is_empty() {
            either.push((Occur::Should, must(self.ja, &wanted)));
        }
        if !stem_refs.is_empty() {
            either.push((Occur::Should, must(self.en, &stem_refs)));
        }
        Box::new(BooleanQuery::new(either))
    }

    /// Consultant ids matching every word of `q`, best first (at most `limit`).
    pub fn search(&self, q: &str, limit: usize) -> anyhow::Result<Vec<(ConsultantId, f32)>> {
        let words: Vec<&str> = q.split_whitespace().collect();
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(
            words
                .iter()
                .map(|w| (Occur::Must, self.word_query(w)))
                .collect(),
        );
        let searcher = self.reader.searcher();
        let hits = searcher
            .search(&query, &TopDocs::with_limit(limit).order_by_score())
            .context("searching")?;
        let mut out = Vec::with_capacity(hits.len());
        for (score, address) in hits {
            let doc: TantivyDocument = searcher.doc(address).context("reading a hit")?;
            if let Some(id) = doc
                .get_first(self.id)
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok())
            {
                out.push((id, score));
            }
        }
        Ok(out)
    }
}
