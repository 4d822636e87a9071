//! The theme report as CSV: codes by default (for programs), or labelled in
//! Japanese or English (`lang=ja|en`, for people opening it in Excel):
//! headers, theme names, the whole-org group, age bands and the reason a
//! cell is hidden.

use crate::theme_report::{ThemeLabel, ThemeReport};

/// Labels of a CSV for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Labels {
    /// 日本語.
    Ja,
    /// English.
    En,
}

impl Labels {
    /// `ja` or `en`; anything else (or nothing) means codes.
    pub fn parse(lang: Option<&str>) -> Option<Self> {
        match lang {
            Some("ja") => Some(Self::Ja),
            Some("en") => Some(Self::En),
            _ => None,
        }
    }

    fn t(self, ja: &'static str, en: &'static str) -> &'static str {
        match self {
            Self::Ja => ja,
            Self::En => en,
        }
    }

    fn header(self) -> &'static str {
        self.t(
            "テーマ,四半期,グループ,人数,非表示の理由",
            "Theme,Quarter,Group,People,Hidden because",
        )
    }

    fn theme<'a>(self, code: &'a str, themes: &'a [ThemeLabel]) -> &'a str {
        themes
            .iter()
            .find(|t| t.code == code)
            .map_or(code, |t| match self {
                Self::Ja => t.label_ja.as_str(),
                Self::En => t.label_en.as_str(),
            })
    }

    fn group(self, group: &str) -> String {
        match group {
            "all" => self.t("全体", "Everyone"),
            "under_30" => self.t("30歳未満", "Under 30"),
            "30s" => self.t("30代", "30s"),
            "40s" => self.t("40代", "40s"),
            "50s" => self.t("50代", "50s"),
            "60_plus" => self.t("60歳以上", "60 and over"),
            other => other,
        }
        .to_owned()
    }

    fn reason(self, code: &str) -> &'static str {
        match code {
            "homogeneous" => self.t("ほぼ全員が同じため", "Nearly everyone raised it"),
            "complementary" => self.t(
                "引き算で推測できるため",
                "It could be worked out by subtraction",
            ),
            _ => self.t("人数が少ないため", "Too few people"),
        }
    }
}

/// The report as CSV (Excel's byte-order mark, CRLF), released cells first;
/// themes named as the report names them.
pub fn write(report: &ThemeReport, labels: Option<Labels>) -> String {
    let themes = &report.labels;
    let header = labels.map_or("theme,period,group,count,hidden_because", Labels::header);
    let mut out = format!("\u{feff}{header}\r\n");
    let theme = |code: &str| shared::csv::cell(labels.map_or(code, |l| l.theme(code, themes)));
    let group = |g: &str| shared::csv::cell(&labels.map_or_else(|| g.to_owned(), |l| l.group(g)));
    for r in &report.rows {
        out.push_str(&format!(
            "{},{},{},{},\r\n",
            theme(&r.theme),
            r.period,
            group(&r.group),
            r.count
        ));
    }
    for s in &report.suppressed {
        out.push_str(&format!(
            "{},{},{},,{}\r\n",
            theme(&s.theme),
            s.period,
            group(&s.group),
            labels.map_or(s.reason, |l| l.reason(s.reason))
        ));
    }
    out
}
