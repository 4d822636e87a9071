//! Kana: katakana ↔ hiragana, and the Hepburn romanisations of a reading
//! as people write them in Latin text (Satō, Sato, Satou, Satoh).

use std::collections::HashMap;
use std::sync::LazyLock;

/// Hiragana written as katakana (other characters unchanged).
pub(super) fn to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\u{3041}'..='\u{3096}') {
                char::from_u32(u32::from(c) + 0x60).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Katakana written as hiragana (other characters unchanged; ー stays).
pub(super) fn to_hiragana(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\u{30A1}'..='\u{30F6}') {
                char::from_u32(u32::from(c) - 0x60).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

const DIGRAPHS: &[(&str, &str)] = &[
    ("キャ", "kya"),
    ("キュ", "kyu"),
    ("キョ", "kyo"),
    ("シャ", "sha"),
    ("シュ", "shu"),
    ("ショ", "sho"),
    ("シェ", "she"),
    ("チャ", "cha"),
    ("チュ", "chu"),
    ("チョ", "cho"),
    ("チェ", "che"),
    ("ニャ", "nya"),
    ("ニュ", "nyu"),
    ("ニョ", "nyo"),
    ("ヒャ", "hya"),
    ("ヒュ", "hyu"),
    ("ヒョ", "hyo"),
    ("ミャ", "mya"),
    ("ミュ", "myu"),
    ("ミョ", "myo"),
    ("リャ", "rya"),
    ("リュ", "ryu"),
    ("リョ", "ryo"),
    ("ギャ", "gya"),
    ("ギュ", "gyu"),
    ("ギョ", "gyo"),
    ("ジャ", "ja"),
    ("ジュ", "ju"),
    ("ジョ", "jo"),
    ("ジェ", "je"),
    ("ヂャ", "ja"),
    ("ヂュ", "ju"),
    ("ヂョ", "jo"),
    ("ビャ", "bya"),
    ("ビュ", "byu"),
    ("ビョ", "byo"),
    ("ピャ", "pya"),
    ("ピュ", "pyu"),
    ("ピョ", "pyo"),
    ("ティ", "ti"),
    ("ディ", "di"),
    ("デュ", "dyu"),
    ("トゥ", "tu"),
    ("ドゥ", "du"),
    ("ファ", "fa"),
    ("フィ", "fi"),
    ("フェ", "fe"),
    ("フォ", "fo"),
    ("ウィ", "wi"),
    ("ウェ", "we"),
    ("ウォ", "wo"),
    ("ヴァ", "va"),
    ("ヴィ", "vi"),
    ("ヴェ", "ve"),
    ("ヴォ", "vo"),
    ("ツァ", "tsa"),
];

const MONOGRAPHS: &str = "ア a イ i ウ u エ e オ o カ ka キ ki ク ku ケ ke コ ko サ sa シ shi ス su セ se ソ so \
    タ ta チ chi ツ tsu テ te ト to ナ na ニ ni ヌ nu ネ ne ノ no ハ ha ヒ hi フ fu ヘ he ホ ho \
    マ ma ミ mi ム mu メ me モ mo ヤ ya ユ yu ヨ yo ラ ra リ ri ル ru レ re ロ ro ワ wa ヰ i ヱ e ヲ o ン n \
    ガ ga ギ gi グ gu ゲ ge ゴ go ザ za ジ ji ズ zu ゼ ze ゾ zo ダ da ヂ ji ヅ zu デ de ド do \
    バ ba ビ bi ブ bu ベ be ボ bo パ pa ピ pi プ pu ペ pe ポ po ヴ vu ァ a ィ i ゥ u ェ e ォ o \
    ャ ya ュ yu ョ yo ヮ wa ヵ ka ヶ ke";

fn monograph(c: char) -> Option<&'static str> {
    static TABLE: LazyLock<HashMap<char, &'static str>> = LazyLock::new(|| {
        let words: Vec<&str> = MONOGRAPHS.split_whitespace().collect();
        words
            .chunks(2)
            .filter_map(|pair| Some((pair[0].chars().next()?, *pair.get(1)?)))
            .collect()
    });
    TABLE.get(&c).copied()
}

fn digraph(first: char, second: char) -> Option<&'static str> {
    static TABLE: LazyLock<HashMap<(char, char), &'static str>> = LazyLock::new(|| {
        DIGRAPHS
            .iter()
            .filter_map(|(kana, latin)| {
                let mut chars = kana.chars();
                Some(((chars.next()?, chars.next()?), *latin))
            })
            .collect()
    });
    TABLE.get(&(first, second)).copied()
}

/// The syllables of a katakana word (`None` if it holds anything else);
/// `ー` repeats the vowel before it, `ッ` doubles the next consonant.
fn syllables(katakana: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = katakana.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut geminate = false;
    let mut i = 0;
    while i < chars.len() {
        let pair = chars.get(i + 1).and_then(|next| digraph(chars[i], *next));
        let (latin, width) = match pair {
            Some(latin) => (latin.to_owned(), 2),
            None => match chars[i] {
                'ッ' => {
                    geminate = true;
                    i += 1;
                    continue;
                }
                'ー' => (
                    out.last()
                        .and_then(|s| s.chars().last())
                        .filter(|v| "aiueo".contains(*v))?
                        .to_string(),
                    1,
                ),
                c => (monograph(c)?.to_owned(), 1),
            },
        };
        let latin = if std::mem::take(&mut geminate) {
            match latin.strip_prefix("ch") {
                Some(rest) => format!("tch{rest}"),
                None => format!("{}{latin}", latin.chars().next()?),
            }
        } else {
            latin
        };
        out.push(latin);
        i += width;
    }
    Some(out)
}

/// The romanisations of one katakana name part: word-processor style
/// (satou), Hepburn without long vowels (sato), with `oh` (satoh), with
/// macrons (satō), `m` before b/m/p (homma) and `n'` before a vowel (ken'ichi).
pub(super) fn romaji(katakana: &str) -> Vec<String> {
    let Some(syllables) = syllables(katakana) else {
        return Vec::new();
    };
    let mut plain = String::new();
    let mut apostrophe = String::new();
    let mut labial = String::new();
    for (k, s) in syllables.iter().enumerate() {
        plain.push_str(s);
        apostrophe.push_str(s);
        let next = syllables.get(k + 1).and_then(|n| n.chars().next());
        if s == "n" && next.is_some_and(|c| "aiueoy".contains(c)) {
            apostrophe.push('\'');
        }
        labial.push_str(if s == "n" && next.is_some_and(|c| "bmp".contains(c)) {
            "m"
        } else {
            s
        });
    }
    let hyphen = apostrophe.replace('\'', "-");
    let mut out = vec![plain.clone(), apostrophe, hyphen, labial.clone()];
    for base in [plain, labial] {
        out.push(
            base.replace("ou", "o")
                .replace("oo", "o")
                .replace("uu", "u"),
        );
        out.push(
            base.replace("ou", "oh")
                .replace("oo", "oh")
                .replace("uu", "u"),
        );
        out.push(
            base.replace("ou", "ō")
                .replace("oo", "ō")
                .replace("uu", "ū"),
        );
    }
    // A final ム is a closing m in Korean and Western names (キム: Kim, トム: Tom).
    if syllables.len() >= 2 && syllables.last().is_some_and(|s| s == "mu") {
        out.push(format!("{}m", syllables[..syllables.len() - 1].concat()));
    }
    out.retain(|r| r.chars().filter(|c| c.is_alphabetic()).count() >= 2);
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
