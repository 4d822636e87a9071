//! Japanese by default, English on request: every text of a page is written
//! in both, side by side in its template (`l.t("日本語", "English")`), so a
//! missing translation is a compile error, not a blank.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Time zones the pickers offer (any IANA zone works by cookie or API).
pub const OFFERED_ZONES: [&str; 8] = [
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Kolkata",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
];

/// A page language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// From a cookie or query value; Japanese unless `en`.
    pub fn parse(s: Option<&str>) -> Self {
        match s {
            Some("en") => Self::En,
            _ => Self::Ja,
        }
    }

    /// `ja` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }

    /// The other language (for the switch).
    pub fn other(self) -> Self {
        match self {
            Self::Ja => Self::En,
            Self::En => Self::Ja,
        }
    }

    /// The switch's label: the other language in its own words.
    pub fn switch_label(self) -> &'static str {
        match self {
            Self::Ja => "English",
            Self::En => "日本語",
        }
    }

    /// Whether the page is Japanese.
    pub fn ja(self) -> bool {
        self == Self::Ja
    }

    /// The text in this language.
    pub fn t<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Ja => ja,
            Self::En => en,
        }
    }

    /// A label pair from the API (`label_ja`, `label_en`).
    pub fn label(self, value: &serde_json::Value) -> &str {
        let key = match self {
            Self::Ja => "label_ja",
            Self::En => "label_en",
        };
        value[key].as_str().unwrap_or("")
    }

    /// An instant in the visitor's time zone, as people write it.
    pub fn when(self, at: DateTime<Utc>, tz: Tz) -> String {
        let local = at.with_timezone(&tz);
        match self {
            Self::Ja => {
                const DAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
                use chrono::Datelike;
                let day = DAYS[local.weekday().num_days_from_monday() as usize];
                format!(
                    "{}（{day}）{}",
                    local.format("%Y年%-m月%-d日"),
                    local.format("%H:%M")
                )
            }
            Self::En => local.format("%a %-d %b %Y, %H:%M").to_string(),
        }
    }

    /// An RFC 3339 instant from the API in the visitor's time zone.
    pub fn when_str(self, at: &str, tz: Tz) -> String {
        DateTime::parse_from_rfc3339(at)
            .map(|t| self.when(t.with_timezone(&Utc), tz))
            .unwrap_or_else(|_| at.to_owned())
    }
}

#[cfg(test)]
mod tests;
