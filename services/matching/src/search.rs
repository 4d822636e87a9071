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

use std::sync::Mutex;

use anyhow::Context;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{LowerCaser, NgramTokenizer, TextAnalyzer, TokenStream};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use crate::domain::profile::{ApprovalStatus, ConsultantId};
use crate::domain::taxonomy::{QUALIFICATIONS, REGIONS, SPECIALTIES, find};
use crate::store::ConsultantRecord;

const NGRAM: &str = "ja_ngram";
const STEM: &str = "en_stem";

/// The search index.
pub struct CatalogueSearch {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    id: Field,
    ja: Field,
    en: Field,
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

impl CatalogueSearch {
    /// An index of the approved consultants among `records`.
    pub fn build<'a>(
        records: impl IntoIterator<Item = &'a ConsultantRecord>,
    ) -> anyhow::Result<Self> {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING | STORED);
        let indexing = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqs),
            )
        };
        let ja = schema.add_text_field("text_ja", indexing(NGRAM));
        let en = schema.add_text_field("text_en", indexing(STEM));
        let index = Index::create_in_ram(schema.build());
        let ngram = NgramTokenizer::new(1, 2, false).context("ngram tokenizer")?;
        index.tokenizers().register(
            NGRAM,
            TextAnalyzer::builder(ngram).filter(LowerCaser).build(),
        );
        let writer = index
            .writer_with_num_threads(1, 15_000_000)
            .context("search index writer")?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("search reader")?;
        let search = Self {
            index,
            reader,
            writer: Mutex::new(writer),
            id,
            ja,
            en,
        };
        {
            let mut writer = search
                .writer
                .lock()
                .map_err(|_| anyhow::anyhow!("search writer poisoned"))?;
            for record in records {
                if record.status == ApprovalStatus::Approved {
                    search.add(&writer, record)?;
                }
            }
            writer.commit().context("committing the search index")?;
        }
        search
            .reader
            .reload()
            .context("reloading the search reader")?;
        Ok(search)
    }

    fn add(&self, writer: &IndexWriter, record: &ConsultantRecord) -> anyhow::Result<()> {
        let text = searchable_text(record);
        writer
            .add_document(
                doc!(self.id => record.id.to_string(), self.ja => text.clone(), self.en => text),
            )
            .context("indexing a profile")?;
        Ok(())
    }

    /// Re-indexes one consultant (removes it unless approved).
    pub fn upsert(&self, record: &ConsultantRecord) -> anyhow::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("search writer poisoned"))?;
        writer.delete_term(Term::from_field_text(self.id, &record.id.to_string()));
        if record.status == ApprovalStatus::Approved {
            self.add(&writer, record)?;
        }
        writer.commit().context("committing the search index")?;
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
