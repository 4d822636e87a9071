//! Fixed vocabularies of the catalogue: specialties (also the topics an
//! employee can choose), qualifications, languages, session formats, regions.

/// A term with its labels.
#[derive(Clone, Copy, Debug)]
pub struct Term {
    /// Stable code used in the API.
    pub code: &'static str,
    /// Japanese label.
    pub ja: &'static str,
    /// English label.
    pub en: &'static str,
}

const fn t(code: &'static str, ja: &'static str, en: &'static str) -> Term {
    Term { code, ja, en }
}

/// What consultants specialise in, and what employees want to talk about.
pub const SPECIALTIES: [Term; 14] = [
    t("career_direction", "キャリアの方向性", "career direction"),
    t("career_change", "転職・キャリアチェンジ", "career change"),
    t("skills", "スキル開発・学び直し", "skills and reskilling"),
    t("management", "管理職・マネジメント", "management"),
    t(
        "workload",
        "働き方・業務負荷",
        "workload and ways of working",
    ),
    t("relationships", "職場の人間関係", "workplace relationships"),
    t("evaluation", "評価・昇進", "evaluation and promotion"),
    t("life_events", "育児・介護との両立", "work and family life"),
    t("second_career", "定年後・セカンドキャリア", "second career"),
    t("early_career", "若手・新入社員", "early career"),
    t("womens_career", "女性のキャリア", "women's careers"),
    t("wellbeing", "メンタル不調の予防", "wellbeing"),
    t("global", "グローバル・外国籍社員", "global careers"),
    t("job_transfer", "異動・配置転換", "internal transfer"),
];

/// Qualifications a consultant can hold.
pub const QUALIFICATIONS: [Term; 3] = [
    t(
        "national_career_consultant",
        "国家資格キャリアコンサルタント",
        "National Career Consultant (Japan)",
    ),
    t(
        "technician_grade1",
        "1級キャリアコンサルティング技能士",
        "Career Consulting Technician, Grade 1",
    ),
    t(
        "technician_grade2",
        "2級キャリアコンサルティング技能士",
        "Career Consulting Technician, Grade 2",
    ),
];

/// Languages sessions can be held in.
pub const LANGUAGES: [Term; 4] = [
    t("ja", "日本語", "Japanese"),
    t("en", "英語", "English"),
    t("zh", "中国語", "Chinese"),
    t("ko", "韓国語", "Korean"),
];

/// How sessions can be held.
pub const FORMATS: [Term; 2] = [
    t("video", "ビデオ通話", "video call"),
    t("phone", "電話", "phone"),
];

/// Where consultants are based.
pub const REGIONS: [Term; 8] = [
    t("hokkaido", "北海道", "Hokkaido"),
    t("tohoku", "東北", "Tohoku"),
    t("kanto", "関東", "Kanto"),
    t("chubu", "中部", "Chubu"),
    t("kinki", "近畿", "Kinki"),
    t("chugoku_shikoku", "中国・四国", "Chugoku and Shikoku"),
    t("kyushu_okinawa", "九州・沖縄", "Kyushu and Okinawa"),
    t("overseas", "海外", "overseas"),
];

/// Genders a consultant may state (optional).
pub const GENDERS: [Term; 3] = [
    t("female", "女性", "female"),
    t("male", "男性", "male"),
    t("other", "その他", "other"),
];

/// Age bands a consultant may state (optional).
pub const AGE_BANDS: [Term; 5] = [
    t("20s", "20代", "20s"),
    t("30s", "30代", "30s"),
    t("40s", "40代", "40s"),
    t("50s", "50代", "50s"),
    t("60plus", "60代以上", "60 or older"),
];

/// The term with `code` in `terms`.
pub fn find(terms: &'static [Term], code: &str) -> Option<&'static Term> {
    terms.iter().find(|t| t.code == code)
}

/// The position of `code` in `terms` (for bitmasks).
pub fn position(terms: &[Term], code: &str) -> Option<usize> {
    terms.iter().position(|t| t.code == code)
}

/// A bitmask of the codes' positions in `terms` (unknown codes are ignored).
pub fn mask<S: AsRef<str>>(terms: &[Term], codes: &[S]) -> u32 {
    codes
        .iter()
        .filter_map(|c| position(terms, c.as_ref()))
        .fold(0, |m, p| m | (1 << p))
}
