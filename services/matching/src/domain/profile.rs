//! A consultant's public profile, parsed and checked at the edge.

use serde::Deserialize;
use shared::ids::OrgId;
use utoipa::ToSchema;

use super::taxonomy::{
    self, AGE_BANDS, FORMATS, GENDERS, LANGUAGES, QUALIFICATIONS, REGIONS, SPECIALTIES, Term,
};

shared::typed_id!(
    /// A consultant: the same id as the consultant's account.
    ConsultantId
);

pub use shared::contracts::ApprovalStatus;

/// The profile a consultant writes (`PUT /api/v1/consultants/me/profile`).
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct ProfileInput {
    /// Name shown to employees.
    pub display_name: String,
    /// One line: who they help and how.
    pub headline: String,
    /// A message to employees (up to 2,000 characters).
    #[serde(default)]
    pub message: String,
    /// `national_career_consultant`, `technician_grade1` or `technician_grade2`.
    pub qualification: String,
    /// Registration number of the qualification (checked by the operator).
    pub registration_number: String,
    /// Specialty codes (1–6), see the taxonomy.
    pub specialties: Vec<String>,
    /// Industries they know (free text, up to 10).
    #[serde(default)]
    pub industries: Vec<String>,
    /// Language codes (`ja`, `en`, `zh`, `ko`).
    pub languages: Vec<String>,
    /// Years of experience as a consultant.
    pub years_experience: u32,
    /// Region code.
    pub region: String,
    /// Optional: `female`, `male`, `other`.
    #[serde(default)]
    pub gender: Option<String>,
    /// Optional: `20s` … `60plus`.
    #[serde(default)]
    pub age_band: Option<String>,
    /// `video` and/or `phone`.
    pub session_formats: Vec<String>,
    /// Client orgs they work for or with (never matched to those orgs' employees).
    #[serde(default)]
    pub affiliated_org_ids: Vec<OrgId>,
    /// Whether they take new clients.
    pub accepting_clients: bool,
}

/// A checked profile, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileDraft {
    /// Name shown to employees.
    pub display_name: String,
    /// One line.
    pub headline: String,
    /// Message.
    pub message: String,
    /// Qualification code.
    pub qualification: String,
    /// Registration number.
    pub registration_number: String,
    /// Specialty codes.
    pub specialties: Vec<String>,
    /// Industries.
    pub industries: Vec<String>,
    /// Language codes.
    pub languages: Vec<String>,
    /// Years of experience.
    pub years_experience: u32,
    /// Region code.
    pub region: String,
    /// Gender code.
    pub gender: Option<String>,
    /// Age-band code.
    pub age_band: Option<String>,
    /// Format codes.
    pub session_formats: Vec<String>,
    /// Affiliated orgs.
    pub affiliated_org_ids: Vec<OrgId>,
    /// Accepting new clients.
    pub accepting_clients: bool,
}

fn text(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
    errors: &mut Vec<(&'static str, String)>,
) -> String {
    let v = value.trim();
    let n = v.chars().count();
    if n < min || n > max {
        errors.push((field, format!("must have {min}–{max} characters")));
    } else if v.chars().any(|c| c.is_control() && c != '\n') {
        errors.push((field, "contains control characters".to_owned()));
    }
    v.to_owned()
}

fn codes(
    field: &'static str,
    values: &[String],
    terms: &[Term],
    min: usize,
    max: usize,
    errors: &mut Vec<(&'static str, String)>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if taxonomy::position(terms, v).is_none() {
            let known: Vec<&str> = terms.iter().map(|t| t.code).collect();
            errors.push((
                field,
                format!("unknown code {v:?}; known: {}", known.join(", ")),
            ));
        } else if !out.contains(v) {
            out.push(v.clone());
        }
    }
    if out.len() < min || out.len() > max {
        errors.push((field, format!("choose {min}–{max}")));
    }
    out
}

fn optional_code(
    field: &'static str,
    value: Option<&String>,
    terms: &[Term],
    errors: &mut Vec<(&'static str, String)>,
) -> Option<String> {
    let v = value.map(|s| s.trim()).filter(|s| !s.is_empty())?;
    if taxonomy::position(terms, v).is_none() {
        errors.push((field, format!("unknown code {v:?}")));
    }
    Some(v.to_owned())
}

impl ProfileInput {
    /// Checks every field; returns all problems at once as `(field, message)`.
    pub fn parse(&self) -> Result<ProfileDraft, Vec<(&'static str, String)>> {
        let mut e = Vec::new();
        let display_name = text("display_name", &self.display_name, 1, 80, &mut e);
        let headline = text("headline", &self.headline, 1, 120, &mut e);
        let message = text("message", &self.message, 0, 2000, &mut e);
        let qualification = self.qualification.trim().to_owned();
        if taxonomy::position(&QUALIFICATIONS, &qualification).is_none() {
            e.push((
                "qualification",
                "must be national_career_consultant, technician_grade1 or technician_grade2"
                    .to_owned(),
            ));
        }
        let registration_number = self.registration_number.trim().to_owned();
        let reg_ok = (4..=20).contains(&registration_number.len())
            && registration_number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !reg_ok {
            e.push((
                "registration_number",
                "4–20 letters, digits or hyphens".to_owned(),
            ));
        }
        let specialties = codes("specialties", &self.specialties, &SPECIALTIES, 1, 6, &mut e);
        let languages = codes(
            "languages",
            &self.languages,
            &LANGUAGES,
            1,
            LANGUAGES.len(),
            &mut e,
        );
        let session_formats = codes(
            "session_formats",
            &self.session_formats,
            &FORMATS,
            1,
            FORMATS.len(),
            &mut e,
        );
        let mut industries = Vec::new();
        for i in &self.industries {
            let v = text("industries", i, 1, 40, &mut e);
            if !industries.contains(&v) {
                industries.push(v);
            }
        }
        if industries.len() > 10 {
            e.push(("industries", "at most 10".to_owned()));
        }
        if self.years_experience > 60 {
            e.push(("years_experience", "at most 60".to_owned()));
        }
        let region = self.region.trim().to_owned();
        if taxonomy::position(&REGIONS, &region).is_none() {
            e.push(("region", format!("unknown region {region:?}")));
        }
        let gender = optional_code("gender", self.gender.as_ref(), &GENDERS, &mut e);
        let age_band = optional_code("age_band", self.age_band.as_ref(), &AGE_BANDS, &mut e);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(ProfileDraft {
            display_name,
            headline,
            message,
            qualification,
            registration_number,
            specialties,
            industries,
            languages,
            years_experience: self.years_experience,
            region,
            gender,
            age_band,
            session_formats,
            affiliated_org_ids: self.affiliated_org_ids.clone(),
            accepting_clients: self.accepting_clients,
        })
    }
}

#[cfg(test)]
mod tests;
