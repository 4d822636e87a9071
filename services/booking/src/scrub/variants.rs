//! Variant kanji: the old and alternative forms names are written in
//! (髙橋, 渡邉, 山﨑), read in their common form when listed names are
//! matched, so that 高橋 on the list finds 髙橋 in the text.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::text::is_han;

/// Old and variant forms of kanji that names are written in, with the
/// common form a listed name is matched in (髙橋 is 高橋, 渡邉 is 渡辺,
/// 山﨑 is 山崎), and 斉 for 斎, which people mistype for each other.
const VARIANTS: &str = "髙高 﨑崎 嵜崎 邉辺 邊辺 濵浜 濱浜 澤沢 櫻桜 廣広 眞真 德徳 瀨瀬 國国 惠恵 藏蔵 冨富 \
    嶋島 嶌島 峯峰 槇槙 檜桧 栁柳 淺浅 黑黒 壽寿 實実 當当 邨村 齋斎 齊斎 斉斎 龍竜 靜静 榮栄 萬万 團団 舘館 鄕郷";

/// The common form of a variant kanji (same UTF-8 length: every pair is
/// in the Basic Multilingual Plane).
pub(super) fn common_form(c: char) -> char {
    static TABLE: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
        VARIANTS
            .split_whitespace()
            .filter_map(|pair| {
                let mut chars = pair.chars();
                Some((chars.next()?, chars.next()?))
            })
            .filter(|(from, to)| from.len_utf8() == to.len_utf8())
            .collect()
    });
    if is_han(c) {
        TABLE.get(&c).copied().unwrap_or(c)
    } else {
        c
    }
}

#[cfg(test)]
mod tests;
