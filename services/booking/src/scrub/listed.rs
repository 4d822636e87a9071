//! Listed names: every form of every deny-listed term, looked up at every
//! position of the lower-cased view (a hash lookup per position and length,
//! up to the longest form: cheaper to build than an automaton for tens of
//! thousands of terms, and as fast to search), then kept or dropped by the
//! context each kind of term needs. The nicknames made from a listed
//! reading ([`super::nicknames`]) are listed too, and a listed name used as
//! a place ([`super::places`]) is dropped.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, LazyLock, Mutex};

use super::around::{
    after_determiner, context_around, in_proper_noun, is_capitalised, latin_glued, listed_with,
    month_of_a_date, starts_sentence, touches,
};
use super::nicknames::{self, Nickname};
use super::places;
use super::terms::match_forms;
use super::text::{Marker, Redactions, Text, is_han, is_hiragana, is_katakana, is_latin_word};
use super::words::{self, ENGLISH_COMMON_SET, HAN_COMMON_SET};

/// How a term must sit in the text to be a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rule {
    /// Kanji names of two or more characters, mixed scripts: wherever they occur.
    Anywhere,
    /// Latin words of three or more letters: as whole words, any case.
    Latin,
    /// Two-letter Latin words (Li, Wu): whole and capitalised (Li, not LI).
    LatinShort,
    /// Latin names that are English words (Ran, May): whole, capitalised,
    /// not first in a sentence.
    LatinCommon,
    /// Katakana of three or more: not inside a longer katakana word.
    KatakanaWord,
    /// Hiragana of three or more: not inside a longer hiragana word.
    HiraganaWord,
    /// One kanji, two kana, everyday words: only before an honorific or a
    /// title, or next to another part of a name.
    Context,
    /// The first morae of a reading as a nickname (めぐ, mizu): only in
    /// quotation marks.
    Quoted,
}

/// The compiled deny list of one hand-off.
pub(super) struct NameList {
    /// Every form of every term, with how it must sit.
    forms: HashMap<String, Rule>,
    /// The longest form, in characters.
    longest: usize,
}

/// How many compiled lists are kept: one org's list serves many hand-offs.
const CACHED_LISTS: usize = 4;

/// How many large lists are kept besides: many small orgs passing through
/// must not push out a large org's list, which is costly to build again.
const CACHED_LARGE_LISTS: usize = 2;

/// The forms that make a list large (an org of a few hundred people).
const LARGE_LIST: usize = 10_000;

impl NameList {
    /// The compiled list of these terms, built once and kept while it is
    /// among the lists of its size used last (a 5,000-person org takes
    /// about 0.1 s to compile, then a few milliseconds a summary).
    pub(super) fn shared(terms: &[String]) -> Arc<Self> {
        // Keys drawn at random once, so no one can make two lists collide.
        static KEYS: LazyLock<RandomState> = LazyLock::new(RandomState::new);
        static CACHE: Mutex<Vec<(u64, Arc<NameList>)>> = Mutex::new(Vec::new());
        let key = KEYS.hash_one(terms);
        if let Ok(mut cache) = CACHE.lock()
            && let Some(at) = cache.iter().position(|(k, _)| *k == key)
        {
            // Most recently used first.
            let entry = cache.remove(at);
            let list = Arc::clone(&entry.1);
            cache.insert(0, entry);
            return list;
        }
        let list = Arc::new(Self::new(terms));
        if let Ok(mut cache) = CACHE.lock() {
            cache.retain(|(k, _)| *k != key);
            cache.insert(0, (key, Arc::clone(&list)));
            let (mut small, mut large) = (0, 0);
            cache.retain(|(_, kept)| {
                let (count, room) = if kept.forms.len() >= LARGE_LIST {
                    (&mut large, CACHED_LARGE_LISTS)
                } else {
                    (&mut small, CACHED_LISTS)
                };
                *count += 1;
                *count <= room
            });
        }
        list
    }

    pub(super) fn new(terms: &[String]) -> Self {
        // One org's people share surnames and readings: each term once.
        let distinct: HashSet<&str> = terms.iter().map(String::as_str).collect();
        let mut forms: HashMap<String, Rule> = HashMap::with_capacity(distinct.len() * 2);
        // A form listed twice keeps its most permissive rule.
        let mut add = |form: String, rule: Rule| {
            let entry = forms.entry(form).or_insert(rule);
            *entry = (*entry).min(rule);
        };
        // Many parts share their first morae (サト of サトウ and サトミ).
        let mut first_morae_seen = HashSet::new();
        for term in distinct {
            for form in match_forms(term) {
                let mut nicknames = nicknames::of_whole_part(&form);
                if let Some((prefix, longer)) = nicknames::first_morae(&form)
                    && first_morae_seen.insert((prefix.clone(), longer))
                {
                    nicknames.extend(nicknames::of_first_morae(&prefix, longer));
                }
                for (nickname, kind) in nicknames {
                    let rule = match kind {
                        Nickname::Ended => classify(&nickname),
                        Nickname::Quoted => Rule::Quoted,
                    };
                    add(nickname, rule);
                }
                let rule = classify(&form);
                add(form, rule);
            }
        }
        let longest = forms.keys().map(|f| f.chars().count()).max().unwrap_or(0);
        NameList { forms, longest }
    }

    /// Every listed form in the text, overlapping ones included.
    fn matches(&self, text: &Text) -> Vec<(std::ops::Range<usize>, Rule)> {
        let bounds: Vec<usize> = text
            .lower
            .char_indices()
            .map(|(at, _)| at)
            .chain([text.lower.len()])
            .collect();
        let mut found = Vec::new();
        for (k, start) in bounds.iter().enumerate() {
            for end in bounds.iter().skip(k + 1).take(self.longest) {
                if let Some(rule) = self.forms.get(&text.lower[*start..*end]) {
                    found.push((*start..*end, *rule));
                }
            }
        }
        found
    }

    /// Adds a `[name]` span for every listed term that sits as a name.
    pub(super) fn find(&self, text: &Text, out: &mut Redactions) {
        let mut accepted = Vec::new();
        let mut pending = Vec::new();
        for (span, rule) in self.matches(text) {
            match verdict(text, &span, rule) {
                Verdict::Name => accepted.push(span),
                Verdict::IfContext if context_around(text, &span) => accepted.push(span),
                Verdict::IfContext => pending.push(span),
                Verdict::No => {}
            }
        }
        // Next to an accepted part of a name (林 健太, LI Na) or listed with
        // a name (岡部、堤、三枝), a part that needs context has it; repeat
        // until nothing changes.
        loop {
            let before = pending.len();
            pending.retain(|span: &std::ops::Range<usize>| {
                let next_to = accepted.iter().any(|a| {
                    touches(text, a, span) || touches(text, span, a) || listed_with(text, a, span)
                });
                if next_to {
                    accepted.push(span.clone());
                }
                !next_to
            });
            if pending.len() == before {
                break;
            }
        }
        for span in accepted {
            out.add(span, Marker::Name);
        }
    }
}

fn classify(form: &str) -> Rule {
    let letters: Vec<char> = form
        .chars()
        .filter(|c| !matches!(c, ' ' | '・' | '-' | '\''))
        .collect();
    if letters.iter().all(|c| is_latin_word(*c)) {
        return if ENGLISH_COMMON_SET.contains(form) {
            Rule::LatinCommon
        } else if letters.len() <= 2 {
            Rule::LatinShort
        } else {
            Rule::Latin
        };
    }
    if letters.iter().all(|c| is_katakana(*c)) {
        return if letters.len() <= 2 {
            Rule::Context
        } else {
            Rule::KatakanaWord
        };
    }
    if letters.iter().all(|c| is_hiragana(*c) || *c == 'ー') {
        return if letters.len() <= 2 {
            Rule::Context
        } else {
            Rule::HiraganaWord
        };
    }
    if (letters.len() == 1 && is_han(letters[0])) || HAN_COMMON_SET.contains(form) {
        return Rule::Context;
    }
    Rule::Anywhere
}

enum Verdict {
    Name,
    IfContext,
    No,
}

fn verdict(text: &Text, span: &std::ops::Range<usize>, rule: Rule) -> Verdict {
    let before = text.before(span.start);
    let after = text.after(span.end);
    let named = |ok: bool| {
        if ok {
            Verdict::Name
        } else {
            Verdict::IfContext
        }
    };
    match rule {
        Rule::Anywhere | Rule::Context if places::names_a_place(text, span) => Verdict::No,
        Rule::Anywhere => Verdict::Name,
        Rule::Quoted => {
            let quoted = before.is_some_and(|c| "「『\"“'‘".contains(c))
                && after.is_some_and(|c| "」』\"”'’".contains(c));
            if quoted { Verdict::Name } else { Verdict::No }
        }
        Rule::Context => Verdict::IfContext,
        Rule::Latin | Rule::LatinShort | Rule::LatinCommon => {
            if latin_glued(text, span) {
                return Verdict::No;
            }
            let word = &text.view[span.clone()];
            match rule {
                Rule::Latin => Verdict::Name,
                Rule::LatinShort => named(is_capitalised(word)),
                _ => named(
                    is_capitalised(word)
                        && !starts_sentence(text, span.start)
                        && !in_proper_noun(text, span)
                        && !month_of_a_date(text, span)
                        && !after_determiner(text, span.start),
                ),
            }
        }
        // Kana right after kanji may be part of a place (大阪ミナミ); the
        // other part of a name or an honorific confirms it (内田ミナミ).
        Rule::KatakanaWord => named(
            !before.is_some_and(|c| is_katakana(c) || is_han(c)) && !after.is_some_and(is_katakana),
        ),
        Rule::HiraganaWord => {
            let particle = |c: char| words::PARTICLES.contains(c);
            let open = |c: Option<char>| c.is_none_or(|c| !is_hiragana(c) || particle(c));
            named(open(before) && open(after) && !before.is_some_and(is_han))
        }
    }
}
