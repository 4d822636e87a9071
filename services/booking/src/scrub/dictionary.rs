//! Common Japanese family and given names with their readings: general
//! knowledge (the most frequent surnames and given names), used only to
//! recognise a name on no list inside a frame that suggests a person
//! (夫の健太が, 友人菊地 誠と, 竹内クリニック, Jun Miura).

use std::collections::HashSet;
use std::sync::LazyLock;

use super::kana::{romaji, to_hiragana};

/// Frequent surnames of two or more kanji, with their readings.
const SURNAMES: &str = "佐藤:サトウ 鈴木:スズキ 高橋:タカハシ 田中:タナカ 伊藤:イトウ 渡辺:ワタナベ 山本:ヤマモト \
    中村:ナカムラ 小林:コバヤシ 加藤:カトウ 吉田:ヨシダ 山田:ヤマダ 佐々木:ササキ 山口:ヤマグチ 松本:マツモト \
    井上:イノウエ 木村:キムラ 斎藤:サイトウ 清水:シミズ 山崎:ヤマザキ 池田:イケダ 橋本:ハシモト 阿部:アベ \
    石川:イシカワ 山下:ヤマシタ 中島:ナカジマ 石井:イシイ 小川:オガワ 前田:マエダ 岡田:オカダ 長谷川:ハセガワ \
    藤田:フジタ 後藤:ゴトウ 近藤:コンドウ 村上:ムラカミ 遠藤:エンドウ 青木:アオキ 坂本:サカモト 斉藤:サイトウ \
    福田:フクダ 太田:オオタ 西村:ニシムラ 藤井:フジイ 金子:カネコ 岡本:オカモト 藤原:フジワラ 中野:ナカノ \
    三浦:ミウラ 原田:ハラダ 中川:ナカガワ 松田:マツダ 竹内:タケウチ 小野:オノ 田村:タムラ 中山:ナカヤマ \
    和田:ワダ 石田:イシダ 森田:モリタ 上田:ウエダ 柴田:シバタ 酒井:サカイ 工藤:クドウ 横山:ヨコヤマ \
    宮崎:ミヤザキ 宮本:ミヤモト 内田:ウチダ 高木:タカギ 安藤:アンドウ 島田:シマダ 谷口:タニグチ 大野:オオノ \
    丸山:マルヤマ 今井:イマイ 高田:タカダ 藤本:フジモト 武田:タケダ 村田:ムラタ 上野:ウエノ 杉山:スギヤマ \
    増田:マスダ 小山:コヤマ 大塚:オオツカ 平野:ヒラノ 菅原:スガワラ 久保:クボ 松井:マツイ 千葉:チバ \
    岩崎:イワサキ 桜井:サクライ 木下:キノシタ 野口:ノグチ 松尾:マツオ 菊地:キクチ 野村:ノムラ 新井:アライ \
    渡部:ワタナベ 佐野:サノ 杉本:スギモト 古川:フルカワ 大西:オオニシ 市川:イチカワ 浅野:アサノ 小島:コジマ \
    水野:ミズノ 西田:ニシダ 菅野:カンノ 中西:ナカニシ 北村:キタムラ 岩田:イワタ 吉川:ヨシカワ 山内:ヤマウチ \
    中田:ナカタ 平田:ヒラタ 小松:コマツ 川口:カワグチ 久保田:クボタ 大久保:オオクボ 飯田:イイダ 高野:タカノ \
    松下:マツシタ 須藤:スドウ 服部:ハットリ 河野:コウノ 沢田:サワダ 川崎:カワサキ 樋口:ヒグチ 田口:タグチ \
    永井:ナガイ 秋山:アキヤマ 中井:ナカイ 安田:ヤスダ 五十嵐:イガラシ 大橋:オオハシ 小池:コイケ 本田:ホンダ \
    吉村:ヨシムラ 荒木:アラキ 大谷:オオタニ 望月:モチヅキ 土屋:ツチヤ 野田:ノダ 松岡:マツオカ 西川:ニシカワ \
    田辺:タナベ 熊谷:クマガイ 内藤:ナイトウ 早川:ハヤカワ 川村:カワムラ 松村:マツムラ 黒田:クロダ 尾崎:オザキ \
    永田:ナガタ 杉浦:スギウラ 山中:ヤマナカ 小田:オダ 星野:ホシノ 森本:モリモト 岡崎:オカザキ 荒井:アライ \
    大川:オオカワ 松永:マツナガ 桑原:クワバラ 石原:イシハラ 菊池:キクチ 西山:ニシヤマ 田島:タジマ 大石:オオイシ \
    片山:カタヤマ 本間:ホンマ 北川:キタガワ 三宅:ミヤケ 福井:フクイ 竹田:タケダ 坂口:サカグチ 川上:カワカミ \
    岩本:イワモト 堀内:ホリウチ 根本:ネモト 平井:ヒライ 吉岡:ヨシオカ 宮田:ミヤタ 中尾:ナカオ 荒川:アラカワ \
    大島:オオシマ 小西:コニシ 関口:セキグチ 村井:ムライ 河合:カワイ 今村:イマムラ 矢野:ヤノ 奥村:オクムラ \
    森下:モリシタ 上原:ウエハラ 前川:マエカワ 宮下:ミヤシタ 浜田:ハマダ 奥田:オクダ 岩井:イワイ 大森:オオモリ \
    宮川:ミヤガワ 三上:ミカミ 稲垣:イナガキ 横田:ヨコタ 小沢:オザワ 石橋:イシバシ 杉田:スギタ \
    水谷:ミズタニ 吉野:ヨシノ 西尾:ニシオ 落合:オチアイ 片岡:カタオカ 森川:モリカワ 平山:ヒラヤマ \
    小野寺:オノデラ 浅井:アサイ 竹中:タケナカ 岡村:オカムラ 篠原:シノハラ 高山:タカヤマ 足立:アダチ \
    白石:シライシ 細川:ホソカワ 大山:オオヤマ 成田:ナリタ 上村:ウエムラ 町田:マチダ 藤村:フジムラ 小倉:オグラ \
    江口:エグチ 飯島:イイジマ 若林:ワカバヤシ 牧野:マキノ 関根:セキネ 坂田:サカタ 川島:カワシマ 八木:ヤギ \
    松浦:マツウラ 村山:ムラヤマ 新田:ニッタ 黒川:クロカワ 小泉:コイズミ 鎌田:カマタ 大村:オオムラ 中原:ナカハラ \
    松山:マツヤマ 緒方:オガタ 増井:マスイ 三好:ミヨシ 徳田:トクダ 栗田:クリタ 梅田:ウメダ";

/// Frequent given names, with their readings (given names in kana are
/// listed as their kana).
const GIVEN_NAMES: &str = "健太:ケンタ 翔太:ショウタ 大輔:ダイスケ 拓也:タクヤ 直樹:ナオキ 健一:ケンイチ \
    浩:ヒロシ 博:ヒロシ 進:ススム 茂:シゲル 清:キヨシ 勇:イサム 隆:タカシ 剛:ツヨシ 修:オサム 亮:リョウ \
    翔:ショウ 蓮:レン 陸:リク 大翔:ヒロト 悠真:ユウマ 湊:ミナト 陽翔:ハルト 和也:カズヤ 達也:タツヤ 哲也:テツヤ \
    雄一:ユウイチ 健二:ケンジ 康介:コウスケ 大樹:ダイキ 一郎:イチロウ 太郎:タロウ 次郎:ジロウ 健太郎:ケンタロウ \
    拓海:タクミ 駿:シュン 悠斗:ユウト 颯太:ソウタ 隼人:ハヤト 直人:ナオト 雅人:マサト 正樹:マサキ 洋平:ヨウヘイ \
    翔平:ショウヘイ 俊介:シュンスケ 裕太:ユウタ 優太:ユウタ 亮太:リョウタ 涼:リョウ 稔:ミノル 聡:サトシ \
    智也:トモヤ 和彦:カズヒコ 信也:シンヤ 徹:トオル 弘:ヒロシ 秀樹:ヒデキ 淳:ジュン 司:ツカサ 敦:アツシ \
    大介:ダイスケ 悟:サトル 恵介:ケイスケ 航:ワタル 陽太:ヨウタ 樹:イツキ 賢:ケン 健:ケン 誠一:セイイチ \
    花子:ハナコ 陽菜:ヒナ 結衣:ユイ 美咲:ミサキ 葵:アオイ 由美:ユミ 彩:アヤ 舞:マイ 香織:カオリ 千尋:チヒロ \
    真由美:マユミ 直美:ナオミ 久美子:クミコ 洋子:ヨウコ 和子:カズコ 幸子:サチコ 裕子:ユウコ 智子:トモコ \
    恵子:ケイコ 京子:キョウコ 明美:アケミ 由紀:ユキ 美穂:ミホ 理恵:リエ 麻衣:マイ 沙織:サオリ 美香:ミカ \
    彩花:アヤカ 七海:ナナミ 結菜:ユイナ 陽子:ヨウコ 真理:マリ 奈々:ナナ 美紀:ミキ 友美:トモミ 恵美:エミ \
    加奈:カナ 芽衣:メイ 紗希:サキ 遥:ハルカ 優子:ユウコ 美樹:ミキ 佳奈:カナ 静香:シズカ 美和:ミワ 純子:ジュンコ \
    礼子:レイコ 典子:ノリコ 順子:ジュンコ 早紀:サキ 亜美:アミ 真美:マミ 萌:モエ 菜々子:ナナコ 美月:ミヅキ \
    琴音:コトネ 杏奈:アンナ 由香:ユカ 千春:チハル 朋子:トモコ 晴美:ハルミ 良子:ヨシコ 敏子:トシコ 節子:セツコ \
    美智子:ミチコ 弘子:ヒロコ 明子:アキコ 悦子:エツコ さくら:サクラ みなみ:ミナミ ひかり:ヒカリ あおい:アオイ";

/// The names as written and read (kanji, katakana, hiragana) and their
/// romanisations (lower case).
pub(super) struct Names {
    pub written: HashSet<String>,
    pub latin: HashSet<String>,
}

fn names(list: &'static str) -> Names {
    let mut written = HashSet::new();
    let mut latin = HashSet::new();
    for entry in list.split_whitespace() {
        let Some((name, reading)) = entry.split_once(':') else {
            continue;
        };
        written.insert(name.to_owned());
        written.insert(reading.to_owned());
        written.insert(to_hiragana(reading));
        latin.extend(
            romaji(reading)
                .into_iter()
                .filter(|r| r.is_ascii() && r.len() >= 3),
        );
    }
    Names { written, latin }
}

/// Surnames, as written and romanised.
pub(super) static SURNAME: LazyLock<Names> = LazyLock::new(|| names(SURNAMES));

/// Given names, as written and romanised.
pub(super) static GIVEN: LazyLock<Names> = LazyLock::new(|| names(GIVEN_NAMES));

/// Whether a Latin word is a common Japanese surname or given name.
pub(super) fn is_romanised_name(word: &str) -> bool {
    let lower = word.to_lowercase();
    SURNAME.latin.contains(&lower) || GIVEN.latin.contains(&lower)
}

/// The length in bytes of the longest surname `run` starts with.
pub(super) fn surname_prefix(run: &str) -> Option<usize> {
    run.char_indices()
        .skip(1)
        .map(|(at, c)| at + c.len_utf8())
        .filter(|end| SURNAME.written.contains(&run[..*end]))
        .max()
}
