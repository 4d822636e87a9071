//! Emerging themes: clusters of scrubbed session summaries that the theme
//! taxonomy does not explain well, shown to the operator (never to HR) with
//! their top terms, to curate the taxonomy.
//!
//! Japanese has no spaces between words and linfa's text tools split on
//! whitespace, so words are found here: text is normalised (full-width
//! Latin letters and digits to half-width, lower case), scrubbed
//! placeholders like `[name]` are dropped, and the rest is segmented into
//! words by `tiniestsegmenter` (TinySegmenter's model, compiled in: no
//! dictionary to fetch). Particles, auxiliaries and other function words
//! (short all-hiragana words and a short stop list) and single characters
//! are dropped; words with kanji or katakana, longer hiragana words (つらい)
//! and Latin words of two or more letters are kept. Documents become TF-IDF
//! vectors (L2-normalised) and are clustered with linfa's KMeans, the number
//! of clusters chosen by the mean silhouette. Only clusters of at least
//! `min_cluster` summaries are shown, with terms, never text.

use std::collections::{BTreeMap, HashMap};

use linfa::DatasetBase;
use linfa::traits::{Fit, Predict};
use linfa_clustering::KMeans;
use ndarray::{Array1, Array2};

/// Summaries of a cluster a term must be found in to be shown.
pub const MIN_TERM_SUMMARIES: usize = 3;

/// One cluster the operator sees.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// How many summaries.
    pub size: usize,
    /// The terms that weigh most in the cluster.
    pub top_terms: Vec<String>,
    /// The taxonomy theme most of its sessions were tagged with.
    pub dominant_theme: Option<String>,
    /// Its share of the cluster's sessions.
    pub dominant_share: f64,
}

impl Cluster {
    /// Whether the taxonomy explains the cluster poorly (no theme tags at
    /// least half of it): a candidate for a new theme.
    pub fn is_emerging(&self) -> bool {
        self.dominant_share < 0.5
    }
}

/// The clustering of a set of summaries.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    /// Summaries clustered.
    pub documents: usize,
    /// Clusters chosen.
    pub k: usize,
    /// Mean silhouette of that choice (−1…1; higher is better separated).
    pub silhouette: f64,
    /// Clusters with at least `min_cluster` summaries, largest first.
    pub clusters: Vec<Cluster>,
    /// Summaries in smaller clusters, not shown.
    pub hidden: usize,
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{309F}')
}

fn is_kanji_or_katakana(c: char) -> bool {
    matches!(c, '\u{30A0}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '々')
}

/// Hiragana words of three or more letters that carry no topic.
const STOP_WORDS: &[&str] = &[
    "ばかり",
    "について",
    "として",
    "という",
    "ところ",
    "けれど",
    "ながら",
    "ません",
    "でした",
    "ました",
    "ている",
    "てい",
    "られる",
    "させる",
    "ような",
    "ように",
    "これ",
    "それ",
    "あれ",
    "どう",
    "こと",
    "もの",
    "ため",
    "よう",
    "ない",
    "なく",
    "なる",
    "なっ",
    "ある",
    "いる",
    "する",
    "した",
    "して",
    "ます",
    "です",
    "たい",
    "また",
    "まだ",
    "とても",
    "すごく",
    "やはり",
];

/// Full-width ASCII to half-width, lower case.
fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Particles the segmenter sometimes leaves on the front of a hiragana word
/// (がつらい).
const LEADING_PARTICLES: &[char] = &['が', 'を', 'に', 'は', 'で', 'と', 'の', 'も', 'へ'];

/// The part of a segmented word that says something about a topic, if any:
/// words of two or more characters with kanji or katakana, hiragana words
/// of three or more (without a particle in front) that are not on the stop
/// list, and Latin words of two or more letters. Single characters (性, 後)
/// say too little on their own.
fn content_word(word: &str) -> Option<&str> {
    let word = word.trim();
    if word.chars().all(is_hiragana) {
        let word = word.trim_start_matches(LEADING_PARTICLES);
        return (word.chars().count() >= 3 && !STOP_WORDS.contains(&word)).then_some(word);
    }
    if word.chars().count() < 2 {
        return None;
    }
    if word.chars().any(is_kanji_or_katakana) {
        return Some(word);
    }
    (word.chars().filter(char::is_ascii_alphabetic).count() >= 2
        && word.chars().all(|c| c.is_ascii_alphanumeric()))
    .then_some(word)
}

/// The words of one summary.
pub fn tokens(text: &str) -> Vec<String> {
    let mut text = normalise(text);
    // Every marker booking's scrubber leaves (`taiwa_booking::scrub`).
    for placeholder in [
        "[name]",
        "[email]",
        "[url]",
        "[number]",
        "[handle]",
        "[phone]",
        "[postcode]",
        "[address]",
        "[birthdate]",
        "[id]",
    ] {
        text = text.replace(placeholder, "。");
    }
    tiniestsegmenter::tokenize(&text)
        .into_iter()
        .filter_map(content_word)
        .map(str::to_owned)
        .collect()
}

/// TF-IDF rows (L2-normalised) over a vocabulary of terms found in at least
/// two documents and at most half of them (capped at the 800 most common).
fn tf_idf(docs: &[Vec<String>]) -> (Array2<f64>, Vec<String>) {
    let n = docs.len();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *df.entry(t).or_insert(0) += 1;
        }
    }
    let mut vocab: Vec<(&str, usize)> = df
        .into_iter()
        .filter(|(_, d)| *d >= 2 && *d * 2 <= n.max(2))
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    vocab.truncate(800);
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (*t, i))
        .collect();
    let mut x = Array2::<f64>::zeros((n, vocab.len()));
    for (row, doc) in docs.iter().enumerate() {
        for t in doc {
            if let Some(&col) = index.get(t.as_str()) {
                x[[row, col]] += 1.0;
            }
        }
        let len = doc.len().max(1) as f64;
        for (col, (_, d)) in vocab.iter().enumerate() {
            let idf = ((1.0 + n as f64) / (1.0 + *d as f64)).ln() + 1.0;
            x[[row, col]] = x[[row, col]] / len * idf;
        }
        let norm = x.row(row).dot(&x.row(row)).sqrt();
        if norm > 0.0 {
            x.row_mut(row).mapv_inplace(|v| v / norm);
        }
    }
    (x, vocab.into_iter().map(|(t, _)| t.to_owned()).collect())
}

/// Mean silhouette of a labelling, with distances from the Gram matrix
/// (`‖a − b‖² = a·a + b·b − 2 a·b`), which is much faster than pairwise loops.
fn silhouette(x: &Array2<f64>, labels: &Array1<usize>, k: usize) -> f64 {
    let n = x.nrows();
    let gram = x.dot(&x.t());
    let mut total = 0.0;
    for i in 0..n {
        let mut sums = vec![0.0; k];
        let mut counts = vec![0usize; k];
        for j in 0..n {
            if i != j {
                let d2 = gram[[i, i]] + gram[[j, j]] - 2.0 * gram[[i, j]];
                sums[labels[j]] += d2.max(0.0).sqrt();
                counts[labels[j]] += 1;
            }
        }
        let own = labels[i];
        if counts[own] == 0 {
            continue; // a singleton scores 0
        }
        let a = sums[own] / counts[own] as f64;
        let b = (0..k)
            .filter(|c| *c != own && counts[*c] > 0)
            .map(|c| sums[c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() && a.max(b) > 0.0 {
            total += (b - a) / a.max(b);
        }
    }
    total / n as f64
}

/// Clusters `documents` (`(summary, themes)`); clusters smaller than
/// `min_cluster` are counted but not shown. `None` when there are too few
/// summaries (fewer than two clusters' worth) or no shared terms.
pub fn discover(documents: &[(String, Vec<String>)], min_cluster: usize) -> Option<Discovery> {
    let min_cluster = min_cluster.max(2);
    let docs: Vec<Vec<String>> = documents.iter().map(|(s, _)| tokens(s)).collect();
    let n = docs.len();
    if n < 2 * min_cluster {
        return None;
    }
    let (x, vocab) = tf_idf(&docs);
    if vocab.is_empty() {
        return None;
    }
    let dataset = DatasetBase::from(x.clone());
    let most = (n / min_cluster).clamp(2, 8);
    let mut best: Option<(f64, usize, Array1<usize>)> = None;
    for k in 2..=most {
        let Ok(model) = KMeans::params(k).max_n_iterations(200).fit(&dataset) else {
            continue;
        };
        let labels = model.predict(&dataset);
        let score = silhouette(&x, &labels, k);
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, k, labels));
        }
    }
    let (score, k, labels) = best?;
    let mut clusters = Vec::new();
    let mut hidden = 0;
    for c in 0..k {
        let members: Vec<usize> = (0..n).filter(|i| labels[*i] == c).collect();
        if members.len() < min_cluster {
            hidden += members.len();
            continue;
        }
        let mut weight = vec![0.0; vocab.len()];
        for &m in &members {
            for (w, v) in weight.iter_mut().zip(x.row(m).iter()) {
                *w += v;
            }
        }
        // A term shown must be in several of the cluster's summaries (not a
        // word one summary alone used). Summaries are per session, so three
        // may still be one person's: the terms are the operators' alone,
        // from scrubbed text, never HR's.
        let mut order: Vec<usize> = (0..vocab.len())
            .filter(|t| members.iter().filter(|m| x[[**m, *t]] > 0.0).count() >= MIN_TERM_SUMMARIES)
            .collect();
        order.sort_by(|a, b| weight[*b].total_cmp(&weight[*a]).then(a.cmp(b)));
        let top_terms = order.iter().take(8).map(|t| vocab[*t].clone()).collect();
        let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
        for &m in &members {
            for t in &documents[m].1 {
                *tags.entry(t.as_str()).or_insert(0) += 1;
            }
        }
        let dominant = tags
            .iter()
            .max_by_key(|(t, c)| (**c, std::cmp::Reverse(**t)));
        clusters.push(Cluster {
            size: members.len(),
            top_terms,
            dominant_theme: dominant.map(|(t, _)| (*t).to_owned()),
            dominant_share: dominant.map_or(0.0, |(_, c)| *c as f64 / members.len() as f64),
        });
    }
    clusters.sort_by_key(|c| std::cmp::Reverse(c.size));
    Some(Discovery {
        documents: n,
        k,
        silhouette: score,
        clusters,
        hidden,
    })
}

#[cfg(test)]
mod tests;
