//! Word lists: the honorifics and titles that follow a name, and the
//! ordinary words that sit in a name's place (お客さん, 営業部長, my manager
//! Monday). Lists are space-separated for reading; `set` makes them sets.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Honorifics written after a name (田中さん, Tanakaさん).
pub(super) const HONORIFICS: &str =
    "さん さま 様 氏 君 くん ちゃん 殿 どの 先輩 せんぱい 先生 せんせい";

/// Titles written after a surname (田中部長).
pub(super) const TITLES: &str = "代表取締役社長 代表取締役 取締役 副社長 社長 副会長 会長 専務 常務 執行役員 \
    本部長 事業部長 副部長 部長代理 部長 次長 課長代理 課長補佐 課長 係長 主任 主査 主幹 室長 所長 支店長 \
    店長 工場長 局長 院長 園長 校長 准教授 教授 講師 監督 顧問 参与 班長 組長 理事長 理事 医師 弁護士 税理士 \
    会計士 社労士 看護師 保健師 薬剤師 司法書士 行政書士 \
    マネージャー マネジャー リーダー ディレクター チーフ";

/// Latin titles written after a Japanese name (森GL, 町PM).
pub(super) const LATIN_TITLES_AFTER: &str = "gl gm pm pl tl sv mgr";

/// Katakana words that make the katakana before a title a role, not a
/// name (プロジェクトマネージャー, ケアマネジャー).
pub(super) const KATAKANA_TITLE_PREFIXES: &str = "プロジェクト プロダクト プログラム エリア ゼネラル シニア ジュニア \
    アカウント セールス マーケティング システム サービス ブランド カテゴリー ストア チーム グループ ライン フロア \
    オフィス テクニカル エンジニアリング リスク デリバリー カスタマー サクセス ポートフォリオ ケア ホール ショップ \
    イベント コミュニティ プラント ファクトリー リージョナル カントリー グローバル ローカル デジタル クリエイティブ \
    アート ミュージック スクール クラス バイヤー トレード ファイナンス ビジネス オペレーション スクラム テック \
    プレイング ミドル トップ フロント マネジメント ストアー セクション ユニット";

/// Words for a person whose name may follow (母(香織), 夫の健太が, 友人菊地).
pub(super) const PERSON_WORDS: &str = "夫 妻 父 母 父親 母親 兄 姉 弟 妹 息子 娘 祖父 祖母 叔父 叔母 伯父 伯母 \
    義父 義母 義兄 義姉 義弟 義妹 長男 長女 次男 次女 子供 子ども 主人 旦那 嫁 彼氏 彼女 婚約者 パートナー 配偶者 \
    両親 友人 知人 友達 同期 同僚 上司 部下 先輩 後輩 元上司 前上司 前任 後任 前任者 後任者 恩師 担当 担当者 \
    主治医 医師 医者 ケアマネ ケアマネジャー ケアマネージャー 取引先 顧客 社長 会長 部長 課長 係長 主任 室長 \
    所長 店長 旧姓 本名 名前 通称 あだ名 愛称 ニックネーム 緊急連絡先 保証人 紹介者 メンター 相談相手 講師 先生 \
    弁護士 税理士 カウンセラー 代理人 エージェント 面接官 採用担当 同級生 幼なじみ 元同僚 元部下 \
    兄弟 姉妹 孫 甥 姪 いとこ 従兄 従姉 従弟 従妹 親戚 親族";

/// Relatives and the people closest to someone, whose given name often
/// follows with no honorific (夫の健太が, 長女結菜、, 夫 Ken、).
pub(super) const RELATIVES: &str = "夫 妻 父 母 父親 母親 兄 姉 弟 妹 息子 娘 祖父 祖母 叔父 叔母 伯父 伯母 義父 義母 \
    義兄 義姉 義弟 義妹 長男 長女 次男 次女 三男 三女 子供 子ども 主人 旦那 嫁 婚約者 パートナー 配偶者 彼氏 彼女 \
    恋人 友人 知人 友達 孫 甥 姪 従兄 従姉 従弟 従妹 いとこ";

/// The last kanji of many given names (悠真, 和人, 勝男, 結子, 健太郎).
pub(super) const NAME_FINALS: &str = "人真男子郎介輔彦哉斗翔也雄美菜奈恵香樹太";

/// Everyday two-kanji words that end like a given name.
pub(super) const NAME_FINAL_ORDINARY: &str = "本人 他人 友人 知人 恋人 主人 個人 成人 大人 老人 新人 住人 犯人 \
    証人 職人 商人 役人 美人 法人 故人 恩人 夫人 婦人 病人 当人 各人 軍人 芸人 達人 名人 外人 求人 殺人 隣人 \
    要人 巨人 偉人 詩人 聖人 凡人 素人 玄人 浪人 旅人 村人 仙人 家人 写真 長男 次男 三男 美男 様子 調子 息子 \
    弟子 男子 女子 帽子 菓子 椅子 双子 王子 原子 電子 分子 迷子 利子 冊子 障子 格子 種子 精子 卵子 扇子 拍子 \
    因子 粒子 骨子 親子 母子 父子 妻子 末子 養子 実子 長子 団子 餃子 硝子 梯子 獅子 新郎 野郎 紹介 仲介 厄介 \
    魚介 媒介 快哉 北斗 漏斗 泰斗 飛翔 英雄 雌雄 優美 褒美 賛美 審美 野菜 白菜 山菜 前菜 惣菜 知恵 恩恵 線香 \
    芳香 果樹 丸太 愛人 別人 同人 異人 奇人 変人 善人 悪人 罪人 超人 鉄人 武人 文人 番人";

/// Events in a life that follow a relative or a colleague with an age in
/// brackets (長男誕生(2歳差), 同僚の退職(30歳)): no name.
pub(super) const LIFE_EVENTS: &str = "出産 誕生 入学 卒業 入園 結婚 離婚 介護 入院 退院 受験 進学 就職 転職 \
    転勤 退職 休職 復職 昇進 昇格 異動 入社 死去 逝去 他界 葬儀 手術 通院 看病 妊娠 育児 同居 別居 再婚";

/// Words about a name rather than a name, after 旧姓 or 本名 (旧姓使用).
pub(super) const NAME_ADMIN: &str = "使用 併記 表記 変更 登録 名義 記載 欄 利用 継続 通称 手続 申請 届 証明 \
    非公開 公開 秘密 不明 未定 確認 記入 入力";

/// English words for a person whose name may follow (my manager, Ken;
/// Doctor (Claire Dawson)) or precede in brackets (Laura Baines (mother)).
pub(super) const ENGLISH_PERSON_WORDS: &str = "manager boss supervisor colleague coworker co-worker teammate lead \
    leader mentor mentee subordinate senpai sempai kohai senior junior peer counterpart director husband \
    wife partner spouse friend recruiter interviewer classmate predecessor successor customer client doctor \
    physician therapist counselor counsellor nurse lawyer agent sister brother mother father mom mum dad son \
    daughter aunt uncle cousin nephew niece grandmother grandfather grandma grandpa fiancé fiancée fiance \
    fiancee boyfriend girlfriend neighbor neighbour landlord contact caseworker founder coach buddy";

/// Bracketed words after a person that are no name: 上司(当時), 父(故人).
pub(super) const BRACKET_ORDINARY: &str = "男性 女性 当時 仮 故人 同席 別居 同居 他界 既婚 独身 健在 不明 未定 任意 \
    要介護 入院 通院 遠方 地方 単身 在宅 死去 実家 海外 国内 本人 現在 以前 元 前 新 旧 同 仮名 匿名 不在 外国籍 \
    日本人 外国人 年上 年下 同い年 義理 実父 実母 直属 上長 兼務 退職 休職 育休 産休 介護 看護 新卒 中途 \
    中途入社 新人 派遣 契約社員 正社員 パート アルバイト 非常勤 常勤 兼任 専任 出向 転籍 年長 年少 男 女 同上 \
    小学生 中学生 高校生 大学生 大学院生 学生 院生 幼児 乳児 新生児 未就学児 高齢 高齢者 大手 中小 中堅 外資 \
    外資系 ベンチャー 大企業 中小企業 一人っ子 双子 成人 未成年 社会人 主婦 専業主婦 無職 要支援 認知症 療養中 \
    入院中 妊娠中 単身赴任 遠距離 上場 非上場 現地 同業 同業他社 競合 元請け 下請け 協力会社 故 亡";

/// Surnames that are also names of places, which a frame does not make a
/// person when they stand alone (母の千葉の実家).
pub(super) const PLACE_SURNAMES: &str = "千葉 宮崎 福井 石川 山口 松本 上野 中野 町田 成田 足立 大塚 松山 吉野 \
    大久保 小倉 大森 梅田 平野 大島 高田 大山 熊谷 川口 川崎 岡崎 小山 市川 浅草 長野 福島 秋田 宮城 岡山";

/// What may follow a title without making it part of a longer word
/// (田中部長代理 is a title; 部長職 is a grade, not a person).
pub(super) const TITLE_CONTINUATIONS: &str = "代理 補佐 兼 宛 殿 達 ら 曰";

/// Honorifics written after a name in Latin text (Tanaka-san).
pub(super) const LATIN_HONORIFICS: &str = "san sama kun chan sensei senpai sempai dono bucho buchou buchō kacho kachou \
    kachō shacho shachou shachō";

/// Titles written before a name in Latin text (Mr. Tanaka).
pub(super) const LATIN_TITLES: &str = "mr mrs ms mx miss dr prof";

/// Kanji words (whole runs) that take さん or 様 but name no one.
pub(super) const HAN_ORDINARY: &str = "皆 客 奥 娘 嫁 婿 孫 父 母 兄 姉 弟 妹 爺 婆 子 夫 妻 彼 彼女 主 坊 嬢 赤 猫 犬 \
    同 多 仕 模 異 一 両 神 王 殿 貴 各 諸 某 外 内 有 無 今 別 文 図 如 何 若 姫 仏 相 親 家 先 後 前 元 新 副 本 \
    次 現 旧 当 御 隣 大 小 上 下 中 全 他 第 毎 約 計 総 課 部 室 局 店 社 長 師 達 方 者 人 名 会 校 院 園 屋 \
    息子 旦那 亭主 家内 主人 彼氏 祖母 祖父 叔母 叔父 伯母 伯父 義母 義父 義兄 義姉 両親 家族 親御 先方 相手 \
    相手方 奥方 貴方 取引先 顧客 業者 派遣 営業 事務 受付 秘書 新人 担当 担当者 患者 利用者 店員 職人 社員 \
    会員 職員 駅員 看護師 保育士 弁護士 税理士 医者 歯医者 大家 大工 友達 友人 知人 恋人 本人 他人 同僚 上司 \
    部下 後輩 先輩 同期 先生 担任 監督 選手 作家 皆々 各位 関係者 御社 貴社 弊社 当社 他社 同社 隣人 住人 \
    運転手 八百屋 本屋 花屋 魚屋 肉屋 酒屋 床屋 部屋 神主 住職 和尚 坊主 奥様 皆様";

/// Kanji words that turn the run before a title into a department or grade
/// (営業部長, 人事課長, 新部長), checked at the run's end.
pub(super) const ORG_WORDS: &str = "営業 人事 総務 経理 財務 法務 広報 企画 開発 技術 製造 生産 品質 品証 購買 \
    調達 物流 研究 設計 情報 事業 管理 業務 販売 経営 戦略 推進 海外 国内 支店 支社 工場 本社 部門 部署 担当 \
    統括 直属 所属 当時 代表 役員 社外 女性 男性 若手 中堅 新任 歴代 先代 初代 総合 監査 安全 環境 顧客 保守 \
    運用 教育 研修 採用 労務 給与 育成 組織 商品 製品 知財 資材 施設 秘書 広告 宣伝 編集 制作 店舗 地域 \
    病院 学校 大学 会社 本部 支部 事業部 歯科 内科 外科 産業 精神科 眼科 皮膚科 小児科 婦人科 耳鼻科 整形外科 \
    心療内科 救急 専門 取締役 執行役員 専務 常務 社長 会長 部長 課長 係長 \
    旧 全 他 別 兼 現 元 前 新 副 次期 同 各 両 当 本 直 実 歴 真 故 総 若 女 男 大 小";

/// Endings of kanji departments (営業部, 人事課).
pub(super) const DEPARTMENT_ENDINGS: &str = "部 課 室 局 所 店 係 班 社 署 省 庁";

/// Katakana words that take さん but name no one (パートさん, ママさん).
pub(super) const KATAKANA_ORDINARY: &str = "ママ パパ オーナー メンバー スタッフ パート バイト アルバイト ドライバー \
    ユーザー クライアント ゲスト エンジニア デザイナー コンサル コンサルタント トレーナー インターン リーダー \
    マネージャー マネジャー ナース ヘルパー ケアマネ ベンダー パートナー ファン カウンセラー セラピスト コーチ \
    アシスタント サポーター オペレーター プログラマー ディレクター プロデューサー チーム グループ カスタマー \
    ワーカー ホスト キャスト モデル タレント アーティスト メーカー ショップ ベビー ネコ イヌ サンタ ボス \
    シェフ スター ヒーロー プロ ベテラン ルーキー フリーランス フリー シングル ハーフ リモート テレワーク \
    フルタイム フレックス シフト サッカー テニス バスケ ダンス ピアノ アメリカ イギリス フランス ドイツ イタリア \
    スペイン ブラジル フィリピン ベトナム タイ インド ネパール カナダ オーストラリア ロシア モンゴル ミャンマー \
    インドネシア マレーシア シンガポール アジア ヨーロッパ";

/// Hiragana words before さん or さま that name no one (みなさん, たくさん).
pub(super) const HIRAGANA_ORDINARY: &str = "みな みんな たく おきゃく おかあ おとう おにい おねえ おばあ おじい おば \
    おじ かあ とう にい ねえ ばあ じい あか おく だんな おこ むすこ むすめ おまご およめ おむこ おいしゃ \
    おとなり ごきんじょ おぼう おじょう ぼっ どなた あなた おまえ かれ かのじょ おつかれ ごくろう ごちそう \
    ありがと おはよう おめでとう おかげ おたがい おひ おほし おつき かみ おう おひめ との ごしゅじん \
    あの その この どの ねこ いぬ くま うさぎ おさる";

/// Hiragana particles, which end a word before a name (同僚のまゆみさん).
pub(super) const PARTICLES: &str = "の は が を に と も で へ や";

/// Common English words: as a listed name (Ran, Do, May, You) they must be
/// capitalised mid-sentence or stand next to another part of the name; as
/// a capitalised word after "my manager" they are no name.
pub(super) const ENGLISH_COMMON: &str = "a an as at be by do go he if in is it me my no of oh on or so to up us we \
    you i the and but for not all any can had her was one our out day get has him his how man new now old see two \
    way who boy did its let put say she too use yes yet may mine june sue ran sun son hope will mark bill \
    rose grace joy faith ray rich art guy pat sky rob don ash gene dawn ivy jade ruby \
    amber summer autumn april august rain moon star king long young white black brown green gray grey hall wood \
    stone well ai ya yo go you your they them this that these those \
    their then than when what where which while with from into also just only even more most much many such \
    some very here there after before about again today yesterday tomorrow however recently finally please \
    thanks hr it pm ceo cto cfo coo vp ok japanese english japan tokyo osaka zoom slack teams google linkedin \
    monday tuesday wednesday thursday friday saturday sunday january february march july september october \
    november december hill park field ford bell baker cook hunter fisher carter turner miller mason walker \
    bush lane rice price little short sharp strong wise frost snow winter spring banks waters rivers page marsh \
    cross knight bishop church chase case love brooks hardy lamb fox wolf crane swan drake reed woods lord \
    engineering sales marketing finance legal compliance operations design research support accounting \
    procurement strategy development recruiting talent admin administration security quality manufacturing \
    logistics product products platform service services system systems head vp svp evp \
    mr mrs ms mx miss dr prof senior junior developer designer analyst \
    consultant staff member members employee employees people person leaders director directors partners \
    client clients customer customers doctor hospital clinic firm team office manager boss colleague said says told asked general engineer \
    project product sales marketing human resources department division group company \
    year grade class age form president chairman chairwoman chair vice principal professor captain officer \
    inspector judge";

/// A word list as a set.
pub(super) fn set(words: &'static str) -> HashSet<&'static str> {
    words.split_whitespace().collect()
}

/// A word list as a set, built once.
macro_rules! word_set {
    ($name:ident, $words:expr) => {
        pub(super) static $name: LazyLock<HashSet<&'static str>> = LazyLock::new(|| set($words));
    };
}

word_set!(HAN_ORDINARY_SET, HAN_ORDINARY);
word_set!(ORG_WORD_SET, ORG_WORDS);
word_set!(KATAKANA_ORDINARY_SET, KATAKANA_ORDINARY);
word_set!(HIRAGANA_ORDINARY_SET, HIRAGANA_ORDINARY);
word_set!(ENGLISH_COMMON_SET, ENGLISH_COMMON);
word_set!(TITLE_SET, TITLES);
word_set!(KATAKANA_TITLE_PREFIX_SET, KATAKANA_TITLE_PREFIXES);
word_set!(BRACKET_ORDINARY_SET, BRACKET_ORDINARY);
word_set!(PLACE_SURNAME_SET, PLACE_SURNAMES);
word_set!(NAME_FINAL_ORDINARY_SET, NAME_FINAL_ORDINARY);

/// Kanji given names and surnames that are also everyday words (希望, 未来):
/// as listed names they need an honorific or the other part of the name.
pub(super) const HAN_COMMON: &str = "希望 未来 大地 正義 勇気 真実 自由 平和 誠実 信頼 幸福 友情 明日 今日 日本 \
    青空 将来 一番 大和 和平 光明 栄光 純情 安心 元気 陽気 真心 仁義 永遠 大河 海外 中間 安全";

word_set!(HAN_COMMON_SET, HAN_COMMON);

/// The longest item first, so `部長代理` is tried before `部長`.
pub(super) fn longest_first(words: &[&'static str]) -> Vec<&'static str> {
    let mut words = words.to_vec();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words
}
