//! The crisis path's resources: public helplines every employee is shown
//! when their consultant flags a session for the crisis path, and the
//! contact an org sets for its occupational physician or EAP.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A public helpline.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Helpline {
    /// Its name in Japanese.
    pub name_ja: &'static str,
    /// Its name in English.
    pub name_en: &'static str,
    /// Phone number, if it takes calls.
    pub phone: Option<&'static str>,
    /// Its official page (hours and other ways to reach it), if it has one.
    pub url: Option<&'static str>,
    /// What it is for, in Japanese.
    pub about_ja: &'static str,
    /// What it is for, in English.
    pub about_en: &'static str,
}

/// Public helplines in Japan, numbers and addresses as their operators
/// publish them (hours change: the pages say them).
pub const HELPLINES: [Helpline; 3] = [
    Helpline {
        name_ja: "いのちの電話",
        name_en: "Inochi no Denwa (Lifeline)",
        phone: Some("0570-783-556"),
        url: Some("https://www.inochinodenwa.org/"),
        about_ja: "つらい気持ちを、匿名で聴いてもらえる電話相談です。",
        about_en: "Anonymous telephone counselling for anyone who is struggling.",
    },
    Helpline {
        name_ja: "こころの耳（厚生労働省）",
        name_en: "Kokoro no Mimi (Ministry of Health, Labour and Welfare)",
        phone: None,
        url: Some("https://kokoro.mhlw.go.jp/"),
        about_ja: "働く人のメンタルヘルスのための相談窓口（電話・SNS・メール）の案内です。",
        about_en: "Mental-health support for working people: phone, chat and email counselling.",
    },
    Helpline {
        name_ja: "緊急のとき（救急 119・警察 110）",
        name_en: "In an emergency (ambulance 119, police 110)",
        phone: Some("119"),
        url: None,
        about_ja: "命に危険があるときは、すぐに119番へ。",
        about_en: "If a life is in danger, call 119 at once.",
    },
];

/// Where an org's employees can turn: its occupational physician or EAP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SupportContact {
    /// Who (e.g. 「産業医 山田クリニック」), 1–100 characters.
    pub name: String,
    /// Where requests to be put in touch are sent; without it, employees
    /// see the contact but cannot ask Taiwa to pass on their request.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone, up to 30 characters (digits, spaces, `+ - ( )`).
    #[serde(default)]
    pub phone: Option<String>,
    /// An `https://` page, up to 300 characters.
    #[serde(default)]
    pub url: Option<String>,
    /// Opening hours as free text, up to 100 characters.
    #[serde(default)]
    pub hours: Option<String>,
}

/// Control characters, and the invisible ones that reorder or hide text
/// (bidirectional overrides and isolates, zero-width joiners).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn short(value: Option<String>, max: usize) -> Option<String> {
    value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.chars().count() <= max)
}

impl SupportContact {
    /// Trimmed and checked: a name, and at least one way to reach it. A
    /// refusal names the field (`name`, `email`, `phone`, `url`, `hours`,
    /// or `contact` for none given) and why.
    pub fn checked(self) -> Result<Self, (&'static str, &'static str)> {
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(hidden) {
            return Err(("name", "the name must be 1–100 characters"));
        }
        let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
        let email = short(self.email.clone(), 254);
        if given(&self.email)
            && !email.as_deref().is_some_and(|e| {
                e.split_once('@').is_some_and(|(l, d)| {
                    !l.is_empty()
                        && d.contains('.')
                        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
                })
            })
        {
            return Err(("email", "the email address is not valid"));
        }
        let phone = short(self.phone.clone(), 30);
        if given(&self.phone)
            && !phone.as_deref().is_some_and(|p| {
                p.chars().any(|c| c.is_ascii_digit())
                    && p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
            })
        {
            return Err((
                "phone",
                "the phone number may have digits, spaces and + - ( ), up to 30 characters",
            ));
        }
        let url = short(self.url.clone(), 300);
        if given(&self.url)
            && !url.as_deref().is_some_and(|u| {
                u.starts_with("https://")
                    && u.len() > 8
                    && !u.chars().any(|c| c.is_whitespace() || c.is_control())
            })
        {
            return Err((
                "url",
                "the page must be an https:// address of up to 300 characters",
            ));
        }
        let hours = short(self.hours.clone(), 100);
        if given(&self.hours)
            && (hours.is_none() || hours.as_deref().is_some_and(|h| h.chars().any(hidden)))
        {
            return Err(("hours", "the hours may have up to 100 characters"));
        }
        if email.is_none() && phone.is_none() && url.is_none() {
            return Err((
                "contact",
                "give at least one way to reach it: email, phone or page",
            ));
        }
        Ok(Self {
            name,
            email,
            phone,
            url,
            hours,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(email: Option<&str>, phone: Option<&str>, url: Option<&str>) -> SupportContact {
        SupportContact {
            name: " 産業医 山田クリニック ".to_owned(),
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
            url: url.map(str::to_owned),
            hours: None,
        }
    }

    #[test]
    fn a_contact_needs_a_name_and_a_way_to_reach_it() {
        let ok = contact(Some("eap@clinic.example.jp"), Some("03-1234-5678"), None)
            .checked()
            .expect("valid");
        assert_eq!(ok.name, "産業医 山田クリニック");
        assert!(
            contact(None, None, None).checked().is_err(),
            "no way to reach it"
        );
        assert!(
            contact(Some("not an address"), None, None)
                .checked()
                .is_err()
        );
        assert!(contact(None, Some("call me"), None).checked().is_err());
        assert!(
            contact(None, None, Some("http://plain.example"))
                .checked()
                .is_err()
        );
        assert!(
            contact(None, None, Some("https://clinic.example.jp/"))
                .checked()
                .is_ok()
        );
        assert!(
            contact(Some("  "), Some("+81 3 1234 5678"), None)
                .checked()
                .is_ok(),
            "blank means absent"
        );
        let mut long = contact(None, Some("110"), None);
        long.name = "名".repeat(101);
        assert!(long.checked().is_err());
        let mut hiding = contact(None, Some("110"), None);
        hiding.name = "産業医\u{202E}kcattA".to_owned();
        assert!(hiding.checked().is_err(), "a bidi override in the name");
        let mut lines = contact(None, Some("110"), None);
        lines.hours = Some("平日\n9:00".to_owned());
        assert!(lines.checked().is_err(), "a line break in the hours");
    }
}
