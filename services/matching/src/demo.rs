//! Matching's part of the demo data: varied, believable consultant profiles
//! (mostly Japanese, some English-speaking), their assessments and approval
//! states (their next free slots arrive from booking's demo availability), some employees' assessments, and historical session ratings that
//! depend on value similarity, so that `taiwa matching train` has something
//! to learn. Deterministic (a fixed seed).

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::contracts::ConsultantStanding;
use shared::db::Db;
use shared::ids::UserId;
use shared::time;

use crate::domain::instrument::VERSION;
use crate::domain::profile::{ApprovalStatus, ConsultantId, ProfileDraft};
use crate::domain::taxonomy::SPECIALTIES;
use crate::store;
use crate::synthetic::{answers_for, latent};

const HEADLINES_JA: [&str; 12] = [
    "転職・キャリアチェンジを一緒に考えます",
    "管理職になったばかりの方の伴走が得意です",
    "育児や介護と仕事の両立をご相談ください",
    "若手社員のキャリアの方向性を整理します",
    "評価面談の前の頭の整理をお手伝いします",
    "50代からのセカンドキャリア設計を支援",
    "職場の人間関係のもやもやを言葉にします",
    "スキルの棚卸しと学び直しの計画づくり",
    "異動・配置転換を前向きな機会に変える対話を",
    "女性のキャリアとリーダーシップを応援します",
    "働きすぎを見直し、無理のない働き方へ",
    "IT業界でのキャリアアップを具体的に",
];
const HEADLINES_EN: [&str; 4] = [
    "Career conversations in English for international staff",
    "From engineer to manager: thinking it through together",
    "Navigating a Japanese workplace as a global professional",
    "Reskilling and career change, step by step",
];
const MESSAGES_JA: [&str; 4] = [
    "まずはお話を聴くところから始めます。結論を急がず、あなたのペースで考えていきましょう。",
    "人事・採用の実務経験を活かし、社内での次の一歩を具体的に描くお手伝いをします。",
    "守秘義務を大切にしています。会社に話しにくいことも、安心してお話しください。",
    "キャリア転職支援の現場で多くの方と向き合ってきました。選択肢を広げる対話を心がけています。",
];
const INDUSTRIES: [&str; 10] = [
    "IT",
    "製造",
    "金融",
    "医療・福祉",
    "小売",
    "コンサルティング",
    "公共",
    "教育",
    "物流",
    "不動産",
];
const REGIONS: [(&str, u32); 7] = [
    ("kanto", 45),
    ("kinki", 18),
    ("chubu", 12),
    ("kyushu_okinawa", 8),
    ("tohoku", 6),
    ("chugoku_shikoku", 6),
    ("hokkaido", 5),
];
const GIVEN_EN: [&str; 8] = [
    "Emily", "James", "Sofia", "Daniel", "Grace", "Lucas", "Hannah", "Noah",
];
const FAMILY_EN: [&str; 8] = [
    "Smith", "Tanaka", "Brown", "Garcia", "Kim", "Wilson", "Chen", "Murphy",
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn weighted_region(rng: &mut StdRng) -> &'static str {
    let total: u32 = REGIONS.iter().map(|r| r.1).sum();
    let mut x = rng.random_range(0..total);
    for (region, w) in REGIONS {
        if x < w {
            return region;
        }
        x -= w;
    }
    "kanto"
}

fn profile(rng: &mut StdRng, n: usize, display_name: &str) -> ProfileDraft {
    let english_only = n % 25 == 7;
    let speaks_en = english_only || rng.random_bool(0.15);
    let mut languages = if english_only {
        vec!["en".to_owned()]
    } else {
        vec!["ja".to_owned()]
    };
    if speaks_en && !english_only {
        languages.push("en".to_owned());
    }
    if rng.random_bool(0.04) {
        languages.push(if rng.random_bool(0.5) { "zh" } else { "ko" }.to_owned());
    }
    let mut specialties: Vec<String> = Vec::new();
    for _ in 0..rng.random_range(2..=4) {
        let s = pick(rng, &SPECIALTIES).code.to_owned();
        if !specialties.contains(&s) {
            specialties.push(s);
        }
    }
    if english_only && !specialties.iter().any(|s| s == "global") {
        specialties.push("global".to_owned());
    }
    let qualification = match rng.random_range(0..10) {
        0 => "technician_grade1",
        1 | 2 => "technician_grade2",
        _ => "national_career_consultant",
    };
    let (name, headline, message) = if english_only {
        (
            format!("{} {}", pick(rng, &GIVEN_EN), pick(rng, &FAMILY_EN)),
            (*pick(rng, &HEADLINES_EN)).to_owned(),
            "I listen first. We can talk about your career in English, at your own pace, in full confidence.".to_owned(),
        )
    } else {
        (
            display_name.to_owned(),
            (*pick(rng, &HEADLINES_JA)).to_owned(),
            (*pick(rng, &MESSAGES_JA)).to_owned(),
        )
    };
    ProfileDraft {
        display_name: name,
        headline,
        message,
        qualification: qualification.to_owned(),
        registration_number: format!("{:08}", 16_000_000 + n * 7919 % 3_999_999),
        specialties,
        industries: vec![
            (*pick(rng, &INDUSTRIES)).to_owned(),
            (*pick(rng, &INDUSTRIES)).to_owned(),
        ]
        .into_iter()
        .fold(Vec::new(), |mut v, i| {
            if !v.contains(&i) {
                v.push(i);
            }
            v
        }),
        languages,
        years_experience: rng.random_range(1..=30),
        region: weighted_region(rng).to_owned(),
        gender: match rng.random_range(0..10) {
            0..=4 => Some("female".to_owned()),
            5..=8 => Some("male".to_owned()),
            _ => None,
        },
        age_band: Some((*pick(rng, &["30s", "40s", "50s", "60plus"])).to_owned()),
        session_formats: if rng.random_bool(0.4) {
            vec!["video".to_owned(), "phone".to_owned()]
        } else {
            vec!["video".to_owned()]
        },
        affiliated_org_ids: Vec::new(),
        accepting_clients: rng.random_bool(0.9),
    }
}

/// What the matching demo data made, for the other services' demo data.
#[derive(Debug)]
pub struct DemoSummary {
    /// Past session ratings written.
    pub ratings: usize,
    /// Each consultant's standing (the demo's shortcut for the standing in
    /// `matching.consultant_changed.v1`, which booking keeps).
    pub standings: Vec<(UserId, ConsultantStanding)>,
}

/// Seeds matching's demo data for the demo consultants (`(account id, name)`)
/// and employees.
pub async fn seed(
    db: &Db,
    consultants: &[(UserId, String)],
    employees: &[UserId],
) -> anyhow::Result<DemoSummary> {
    let mut rng = StdRng::seed_from_u64(0x7a1a);
    let now = time::to_db(time::now());
    let mut tx = db
        .begin_write()
        .await
        .context("seeding matching demo data")?;
    let mut consultant_z = Vec::with_capacity(consultants.len());
    let mut standings = Vec::with_capacity(consultants.len());
    for (n, (user, name)) in consultants.iter().enumerate() {
        let id = ConsultantId(user.0);
        let draft = profile(&mut rng, n + 1, name);
        store::upsert_profile(&mut tx, id, &draft, now).await?;
        let status = match n % 20 {
            3 => ApprovalStatus::Pending,
            11 => ApprovalStatus::Suspended,
            _ => ApprovalStatus::Approved,
        };
        store::set_status(&mut tx, id, status, now).await?;
        standings.push((
            *user,
            ConsultantStanding {
                status,
                affiliated_org_ids: draft.affiliated_org_ids.clone(),
                as_of: now,
            },
        ));
        let z = latent(&mut rng);
        let answers = answers_for(&mut rng, &z)?;
        let vector = answers.score();
        store::insert_assessment(
            &mut tx,
            &uuid::Uuid::now_v7().to_string(),
            *user,
            VERSION,
            &answers.pairs(),
            &vector,
            now,
        )
        .await?;
        consultant_z.push((id, vector.matching_form()));
    }
    // Half the employees answered the assessment; they rated past sessions.
    let mut ratings = 0;
    for (k, employee) in employees.iter().enumerate() {
        if k % 2 == 1 {
            continue;
        }
        let z = latent(&mut rng);
        let answers = answers_for(&mut rng, &z)?;
        let vector = answers.score();
        store::insert_assessment(
            &mut tx,
            &uuid::Uuid::now_v7().to_string(),
            *employee,
            VERSION,
            &answers.pairs(),
            &vector,
            now - 90 * 86_400_000,
        )
        .await?;
        let e = vector.matching_form();
        for _ in 0..rng.random_range(8..=20) {
            let (consultant, c) = pick(&mut rng, &consultant_z);
            let cosine: f32 = e.iter().zip(c.iter()).map(|(a, b)| a * b).sum();
            // Sessions go better when values are close, with plenty of noise.
            let rating = (3.6 + 1.6 * f64::from(cosine) + rng.random_range(-1.2..1.2))
                .round()
                .clamp(1.0, 5.0) as i64;
            let at = now - rng.random_range(1..180) * 86_400_000;
            store::insert_rating(
                &mut tx,
                &uuid::Uuid::now_v7().to_string(),
                *consultant,
                *employee,
                rating,
                at,
            )
            .await?;
            ratings += 1;
        }
    }
    // Past sessions' ratings are history: they count at once.
    store::release_all_ratings(&mut tx, now).await?;
    tx.commit().await.context("committing matching demo data")?;
    Ok(DemoSummary { ratings, standings })
}

/// Records booking's next free slots for the demo consultants (the demo's
/// shortcut for `booking.availability_changed.v1`).
pub async fn record_next_available(
    db: &Db,
    next: &[(UserId, Option<chrono::DateTime<chrono::Utc>>)],
) -> anyhow::Result<()> {
    let mut tx = db
        .begin_write()
        .await
        .context("recording demo availability")?;
    for (user, at) in next {
        store::set_next_available(&mut tx, ConsultantId(user.0), at.map(time::to_db)).await?;
    }
    tx.commit().await.context("committing demo availability")?;
    Ok(())
}
