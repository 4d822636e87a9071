//! Surnames that are also places (品川, 福岡, 長野): a listed name used as
//! the name of a site — before a word for a branch, an office or an area
//! (品川オフィス, 福岡支店, 広島・岡山エリア), or, when it is a well-known
//! place, before の and such a word (宮城の工場, 千葉の物流センター) or a
//! trip or a home (広島への出張, 長崎出身) — is a place, not the person. A
//! title after the site word (福岡支店長, 福岡エリアマネージャー) may be the
//! person's, and keeps the name.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::text::Text;
use super::words;

/// Prefectures, large cities and business districts: general knowledge.
const PLACES: &str = "北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 \
    山梨 長野 岐阜 静岡 愛知 三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 \
    福岡 佐賀 長崎 熊本 大分 宮崎 鹿児島 沖縄 札幌 仙台 横浜 川崎 相模原 名古屋 神戸 北九州 浜松 堺 金沢 高松 \
    松山 姫路 宇都宮 倉敷 豊田 大宮 立川 町田 藤沢 八王子 船橋 柏 盛岡 郡山 水戸 前橋 高崎 甲府 松本 豊橋 岡崎 \
    四日市 大津 尼崎 西宮 福山 下関 久留米 佐世保 那覇 旭川 函館 品川 新宿 渋谷 池袋 上野 新橋 大手町 \
    丸の内 六本木 銀座 秋葉原 浅草 中野 目黒 世田谷 大田 豊洲 汐留 日本橋 有楽町 恵比寿 五反田 大崎 田町 \
    浜松町 神田 赤坂 青山 吉祥寺 三鷹 府中 川口 梅田 難波 心斎橋 天王寺 本町 淀屋橋 博多 天神 小倉 大森 成田 \
    羽田 関西 関東 東北 北陸 中部 東海 近畿 中国 四国 九州";

/// Words for a site that a place name comes before.
const SITES: &str = "支店|支社|工場|オフィス|営業所|本社|センター|エリア|店|駅|拠点|事業所|地区|支部|本部|研究所|倉庫|\
    空港|キャンパス|県|市|区|方面|地方|出張所|事務所|営業部|ブロック|地域|周辺";

/// Whether the listed kanji term at `span` names a place.
pub(super) fn names_a_place(text: &Text, span: &Range<usize>) -> bool {
    static PLACE_SET: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| PLACES.split_whitespace().collect());
    // Other places of a list may come between (広島・岡山エリア); after の,
    // a word may qualify the site (千葉の物流センター).
    static DIRECT: LazyLock<Regex> =
        LazyLock::new(|| super::compile(&format!(r"^(?:[・、と]\p{{Han}}{{1,4}})*(?:{SITES})")));
    static AFTER_NO: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(&format!(
            r"^の[\p{{Han}}\p{{Katakana}}ー]{{0,6}}?(?:{SITES})"
        ))
    });
    // A well-known place that someone goes to, lives in or comes from.
    static TRAVEL: LazyLock<Regex> = LazyLock::new(|| {
        super::compile(
            r"^(?:へ|(?:に|で|から|まで)?の?(?:出張|転勤|異動|赴任|単身赴任|在住|出身|勤務|通勤|帰省|移住|転居))",
        )
    });
    let rest = &text.view[span.end..];
    let known = PLACE_SET.contains(&text.view[span.clone()]);
    if known && TRAVEL.is_match(rest) {
        return true;
    }
    let site = DIRECT
        .find(rest)
        .or_else(|| AFTER_NO.find(rest).filter(|_| known));
    // 福岡支店長, 千葉エリアマネージャー: a title, which may be the person's.
    site.is_some_and(|found| {
        let after = &rest[found.end()..];
        !(after.starts_with('長')
            || after.starts_with("責任者")
            || words::TITLES
                .split_whitespace()
                .any(|t| after.starts_with(t)))
    })
}

#[cfg(test)]
mod tests;
