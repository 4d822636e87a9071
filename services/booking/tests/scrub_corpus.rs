//! The scrubber against the independent corpus in `tests/scrub_corpus/`
//! (see its README): summaries with planted personal data, and ordinary
//! summaries with none. Run with `--nocapture` to see the figures:
//!
//! `cargo test -p taiwa-booking --test scrub_corpus -- --nocapture`
//!
//! A planted item is caught when its value (NFKC, case-folded, without
//! whitespace) no longer occurs in the output (normalised the same way).
//! Recall must be at least 99 %; every miss is printed. False positives
//! are the markers the scrubber puts into the ordinary summaries.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Deserialize;
use taiwa_booking::scrub::{name_terms, scrub_summary};
use unicode_normalization::UnicodeNormalization;

#[derive(Deserialize)]
struct Summary {
    id: String,
    lang: String,
    text: String,
    pii: Vec<Planted>,
    people: Vec<Person>,
}

#[derive(Deserialize)]
struct Planted {
    kind: String,
    value: String,
}

#[derive(Deserialize)]
struct Person {
    name: String,
    reading: Option<String>,
}

/// The markers `scrub_summary` writes (and `[number]`, which it used to).
const MARKERS: [&str; 10] = [
    "[name]",
    "[email]",
    "[url]",
    "[handle]",
    "[phone]",
    "[postcode]",
    "[address]",
    "[birthdate]",
    "[id]",
    "[number]",
];

fn corpus(file: &str, min_lines: usize) -> Vec<Summary> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scrub_corpus")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the corpus file {} must exist ({e}); it is not optional",
            path.display()
        )
    });
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert!(
        lines.len() >= min_lines,
        "{file} has {} lines; at least {min_lines} are needed",
        lines.len()
    );
    lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{file} line {} is malformed: {e}", n + 1))
        })
        .collect()
}

fn normalised(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn terms_of(summary: &Summary) -> Vec<String> {
    summary
        .people
        .iter()
        .flat_map(|p| name_terms(&p.name, p.reading.as_deref()))
        .collect()
}

fn markers_in(text: &str) -> usize {
    MARKERS.iter().map(|m| text.matches(m).count()).sum()
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// What one corpus measured.
struct Measured {
    caught: usize,
    planted: usize,
    touched: usize,
    ordinary: usize,
}

impl Measured {
    fn recall(&self) -> f64 {
        share(self.caught, self.planted)
    }

    fn touched_share(&self) -> f64 {
        share(self.touched, self.ordinary)
    }
}

/// Scrubs every summary of `summaries` and `ordinary`, prints the figures,
/// every miss and every touched ordinary summary.
fn measure(label: &str, summaries: &[Summary], ordinary: &[Summary]) -> Measured {
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut spent = Duration::ZERO;
    for summary in summaries {
        let terms = terms_of(summary);
        let started = Instant::now();
        let scrubbed = scrub_summary(&summary.text, &terms);
        spent += started.elapsed();
        let output = normalised(&scrubbed);
        for item in &summary.pii {
            let caught = !output.contains(&normalised(&item.value));
            for (counts, key) in [
                (&mut by_kind, item.kind.as_str()),
                (&mut by_lang, summary.lang.as_str()),
            ] {
                let entry = counts.entry(key).or_default();
                entry.0 += usize::from(caught);
                entry.1 += 1;
            }
            if !caught {
                misses.push(format!(
                    "{}  {:<16} {:?}\n      → {}",
                    summary.id, item.kind, item.value, scrubbed
                ));
            }
        }
    }
    let caught: usize = by_kind.values().map(|(c, _)| c).sum();
    let planted: usize = by_kind.values().map(|(_, p)| p).sum();

    let mut false_markers = 0;
    let mut touched = Vec::new();
    for summary in ordinary {
        let scrubbed = scrub_summary(&summary.text, &terms_of(summary));
        let added = markers_in(&scrubbed).saturating_sub(markers_in(&summary.text));
        if added > 0 {
            false_markers += added;
            touched.push(format!("{}  {}", summary.id, scrubbed));
        }
    }

    println!(
        "\n{label}: recall {caught}/{planted} = {:.2} %",
        100.0 * share(caught, planted)
    );
    for (name, counts) in [("kind", &by_kind), ("lang", &by_lang)] {
        for (key, (c, p)) in counts {
            println!(
                "  {name} {key:<16} {c:>4}/{p:<4} {:>6.2} %",
                100.0 * share(*c, *p)
            );
        }
    }
    println!("misses ({}):", misses.len());
    for miss in &misses {
        println!("  {miss}");
    }
    println!(
        "false positives: {false_markers} markers in {} of {} ordinary summaries ({:.1} %)",
        touched.len(),
        ordinary.len(),
        100.0 * share(touched.len(), ordinary.len())
    );
    for line in &touched {
        println!("  {line}");
    }
    println!(
        "time: {:.3} ms per summary on average ({} build)",
        spent.as_secs_f64() * 1000.0 / summaries.len().max(1) as f64,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    assert!(planted > 0, "the corpus plants no personal data");
    Measured {
        caught,
        planted,
        touched: touched.len(),
        ordinary: ordinary.len(),
    }
}

#[test]
fn recall_is_at_least_99_percent_with_few_false_positives() {
    let summaries = corpus("summaries.jsonl", 500);
    let ordinary = corpus("ordinary.jsonl", 300);
    let m = measure("corpus", &summaries, &ordinary);
    assert!(
        m.recall() >= 0.99,
        "recall {:.2} % is below 99 %",
        100.0 * m.recall()
    );
    assert!(
        m.touched_share() <= 0.05,
        "{} of {} ordinary summaries were touched",
        m.touched,
        m.ordinary
    );
}

/// The first held-out set, written afterwards by someone who saw neither
/// the scrubber nor the corpus it was tuned on. Its misses were then used to
/// generalise the rules, so it is a tuning set now too.
#[test]
fn the_held_out_set_is_scrubbed_too() {
    let summaries = corpus("heldout.jsonl", 300);
    let ordinary = corpus("heldout_ordinary.jsonl", 100);
    let m = measure("held-out", &summaries, &ordinary);
    assert!(
        m.recall() >= HELD_OUT_RECALL_FLOOR,
        "held-out recall {:.2} % is below {:.0} %",
        100.0 * m.recall(),
        100.0 * HELD_OUT_RECALL_FLOOR
    );
    assert!(
        m.touched_share() <= 0.10,
        "{} of {} held-out ordinary summaries were touched",
        m.touched,
        m.ordinary
    );
}

/// The floor the first held-out recall must not fall below (94.6 % when
/// first measured blind; see the README).
const HELD_OUT_RECALL_FLOOR: f64 = 0.99;

/// A 5,000-person org (about 30,000 terms) and a 1,000-character summary:
/// well under 10 ms in a release build.
#[test]
fn a_large_name_list_scrubs_quickly() {
    let words = |list: &'static str| list.split_whitespace().collect::<Vec<_>>();
    let surnames = words(
        "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 清水 山崎",
    );
    let readings = words(
        "サトウ スズキ タカハシ タナカ イトウ ワタナベ ヤマモト ナカムラ コバヤシ カトウ ヨシダ ヤマダ ササキ ヤマグチ \
         マツモト イノウエ キムラ ハヤシ シミズ ヤマザキ",
    );
    let given = words("一 二 三 太 花 美 健 誠 大 翔 陽 優 結 愛 蓮 葵 悠 湊 凛 樹");
    let given_kana = words(
        "イチ ジ ゾウ タ ハナ ミ ケン マコト ダイ ショウ ヒナタ ユウ ユイ アイ レン アオイ ハルカ ミナト リン イツキ",
    );
    let mut terms = Vec::new();
    for n in 0..5000 {
        let (s, g, h) = (n % 20, (n / 20) % 20, (n / 400) % 20);
        let name = format!(
            "{}{} {}{}",
            surnames[s],
            given[h],
            given[g],
            given[(g + h) % 20]
        );
        let reading = format!(
            "{}{} {}{}",
            readings[s],
            given_kana[h],
            given_kana[g],
            given_kana[(g + h) % 20]
        );
        terms.extend(name_terms(&name, Some(&reading)));
    }
    let summary: String = "面談では佐藤さんとの関係、異動の希望、評価制度への不安について話した。連絡は０９０－１２３４－５６７８。"
        .chars()
        .cycle()
        .take(1000)
        .collect();
    let started = Instant::now();
    scrub_summary(&summary, &terms);
    let cold = started.elapsed();
    let runs = 10;
    let started = Instant::now();
    for _ in 0..runs {
        scrub_summary(&summary, &terms);
    }
    let warm = started.elapsed() / runs;
    let mut distinct = terms.clone();
    distinct.sort();
    distinct.dedup();
    println!(
        "{} terms ({} distinct), 1,000 characters: {:.2} ms for the first summary (compiles the list), {:.2} ms each after ({} build{})",
        terms.len(),
        distinct.len(),
        cold.as_secs_f64() * 1000.0,
        warm.as_secs_f64() * 1000.0,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        if cfg!(debug_assertions) {
            "; the 10 ms bound is asserted in release builds only"
        } else {
            ""
        },
    );
    if !cfg!(debug_assertions) {
        assert!(warm < Duration::from_millis(10), "{warm:?} per summary");
    }
}

/// The second held-out set, written blind while the rules were generalised
/// and measured once they were done: the figure to expect on new text.
#[test]
fn the_second_held_out_set_is_scrubbed_too() {
    let summaries = corpus("heldout2.jsonl", 300);
    let ordinary = corpus("heldout2_ordinary.jsonl", 100);
    let m = measure("second held-out", &summaries, &ordinary);
    assert!(
        m.recall() >= SECOND_HELD_OUT_RECALL_FLOOR,
        "second held-out recall {:.2} % is below {:.0} %",
        100.0 * m.recall(),
        100.0 * SECOND_HELD_OUT_RECALL_FLOOR
    );
    // Its ordinary summaries were written to tempt the scrubber: unmentioned
    // org people whose surnames are everyday words and places (上野, 半田,
    // 豊田). A listed surname is redacted wherever it stands — privacy before
    // readability — so many are touched: 50 of 108 when first measured. The
    // bound keeps that from getting worse.
    assert!(
        m.touched_share() <= 0.47,
        "{} of {} second held-out ordinary summaries were touched",
        m.touched,
        m.ordinary
    );
}

/// The floor of the second held-out recall: its first, blind figure
/// (694/731 = 94.9 %) rounded down.
const SECOND_HELD_OUT_RECALL_FLOOR: f64 = 0.94;
