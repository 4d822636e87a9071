//! Street addresses: Japanese block numbers (二丁目7番3号, 3番地, 1-2-3,
//! 千代田区丸の内2-7) with the place names before them and the building,
//! floor and room after them; English street addresses (12 Baker Street)
//! and romanised ones (1-2-3 Marunouchi, Chiyoda-ku).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::text::{Marker, Redactions, Text};

/// Kanji, katakana and の: the characters of Japanese place names.
const PLACE: &str = r"[\x{3400}-\x{9FFF}\x{F900}-\x{FAFF}々ヶケ\x{30A1}-\x{30FA}ーのノ]";
const KNUM: &str = "(?:[0-9]+|[〇一二三四五六七八九十百千]+)";
const BUILDING: &str = "(?:ビルディング|ビル|タワー|マンション|ハイツ|コーポ|レジデンス|ハウス|荘|館|プラザ|ヒルズ|アパート|パレス|コート|メゾン|building|bldg\\.?|tower|heights|residence|mansion|apartments?|apt\\.?)";

/// Counters after a number (3-4人, 2-3回): a range, not a block number.
const COUNTERS: &str = "人名回件時分秒日年月週歳%個枚本点位割倍度";

/// Adds the spans of street addresses; `dates` are no block numbers.
pub(super) fn find(text: &Text, out: &mut Redactions, dates: &[Range<usize>]) {
    static JAPANESE: LazyLock<Regex> = LazyLock::new(|| {
        let dash = "[ ]?[-ー][ ]?";
        // A building (by its kind, or by the floor or room after its name).
        let floor = r"[ ]?(?:#|room[ ]?)?[0-9]{1,4}(?:階|f(?-u:\b)|号室)";
        let room = format!(r"(?:[ ]?[^\s、。,()「」]{{0,20}}?(?:{BUILDING}(?:{floor})?|{floor}))?");
        super::compile(&format!(
            "(?:(?:{PLACE}|[0-9]+条)+[ ]?)?(?:\
            {KNUM}[ ]?丁目(?:[ ]?{KNUM}(?:[ ]?番地?|{dash})?(?:[ ]?{KNUM}[ ]?号?)?)?\
            |{KNUM}[ ]?番地(?:[ ]?の?[ ]?{KNUM}[ ]?号?)?\
            |{KNUM}[ ]?番[ ]?{KNUM}[ ]?号\
            |[1-9][0-9]{{0,2}}{dash}[0-9]{{1,4}}(?:{dash}[0-9]{{1,4}}){{1,2}}\
            |[1-9][0-9]{{0,3}}の[0-9]{{1,4}}の[0-9]{{1,4}}\
            |{KNUM}[ ]?号室\
            ){room}"
        ))
    });
    static TWO_NUMBERS: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"{PLACE}*(?:都|道|府|県|市|区|町|村|郡){PLACE}*[0-9]{{1,4}}(?:[-ー]|の)[0-9]{{1,4}}"
        ))
    });
    static ROMANISED: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"[1-9][0-9]{0,2}-[0-9]{1,4}(?:-[0-9]{1,4}){1,2}(?:,?[ ]+\p{Lu}\p{Ll}+(?:-(?:ku|shi|cho|machi|gun|ken|mura))?){1,5}",
        )
    });
    static STREET: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"(?:\b(?:Flat|Apartment|Apt|Unit|Suite|Room)\.?[ ]?[0-9A-Za-z]{1,5},?[ ]+)?\b[0-9]{1,5}[a-zA-Z]?[ ]+(?:\p{Lu}\p{Ll}+[ ]+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Crescent|Close|Grove|Gardens|Square|Mews|Row|Walk|Hill|Park|Parade|Rise|Green|Highway|Hwy|Parkway|Pkwy|Plaza|Trail)\b\.?(?:,?[ ]+(?:Apt|Suite|Unit|Flat|#)\.?[ ]?[0-9A-Za-z]+)?(?:,[ ]+\p{Lu}\p{Ll}+(?:[ ]\p{Lu}\p{Ll}+)?\b)?(?:,?[ ]+(?:[A-Z]{1,2}[0-9][0-9A-Z]?[ ][0-9][A-Z]{2}|[A-Z]{2}[ ][0-9]{5}))?",
        )
    });
    for found in JAPANESE.find_iter(&text.lower) {
        let span = found.range();
        let in_date = dates
            .iter()
            .any(|d| d.start < span.end && span.start < d.end);
        let counted = text.after(span.end).is_some_and(|c| COUNTERS.contains(c));
        let block_words = found.as_str().contains(['丁', '番', '号', '階']);
        if block_words || !(in_date || counted) {
            out.add(span, Marker::Address);
        }
    }
    for found in TWO_NUMBERS.find_iter(&text.lower) {
        if !text
            .after(found.end())
            .is_some_and(|c| COUNTERS.contains(c))
        {
            out.add(found.range(), Marker::Address);
        }
    }
    for re in [&*ROMANISED, &*STREET] {
        for found in re.find_iter(&text.view) {
            out.add(found.range(), Marker::Address);
        }
    }
}

#[cfg(test)]
mod tests;
