//! Demo data: org "Demo Corp" with HR and employees, consultants, an operator,
//! all with the password `taiwa-demo`. Created by `taiwa serve` on an empty
//! embedded database, or by `taiwa demo-data`; never in production. Each
//! service issue adds its own part here (profiles, availability, …).

use std::io::{IsTerminal, Write};

use shared::auth::Role;
use shared::db::Db;
use shared::ids::{OrgId, UserId};
use shared::time;

use taiwa_identity::domain::Email;
use taiwa_identity::passwords::PasswordHasher;
use taiwa_identity::store::{self, NewUser};

/// The demo org's name.
pub const ORG_NAME: &str = "Demo Corp";
/// Every demo account's password.
pub const DEMO_PASSWORD: &str = "taiwa-demo";
/// The demo operator's enrolment code for setting up two-step sign-in.
pub const OPERATOR_ENROLMENT_CODE: &str = "DEMO2-TAIWA";
/// Number of demo employees.
pub const EMPLOYEES: usize = 60;
/// People per quarter in the demo org's de-identified report records (the
/// report describes the whole company, more than the demo accounts).
pub const REPORTING_PEOPLE_PER_QUARTER: usize = 320;
/// Session credits the demo org starts with.
pub const DEMO_CREDITS: i64 = 200;
/// Number of demo consultants.
pub const CONSULTANTS: usize = 300;

const FAMILY: [&str; 20] = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "清水",
    "山崎",
];
const GIVEN: [&str; 16] = [
    "花子", "太郎", "陽菜", "蓮", "美咲", "大輔", "結衣", "翔", "彩", "健太", "由美", "直樹",
    "真央", "悠人", "恵", "拓也",
];

/// A plausible Japanese name for demo person `n`.
pub fn demo_name(n: usize) -> String {
    format!(
        "{} {}",
        FAMILY[n % FAMILY.len()],
        GIVEN[(n / FAMILY.len() + n) % GIVEN.len()]
    )
}

fn progress(done: usize, total: usize) {
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\rdemo data: {done}/{total} accounts");
        if done == total {
            let _ = writeln!(err);
        }
    } else if done == total || done.is_multiple_of(100) {
        let _ = writeln!(err, "demo data: {done}/{total} accounts");
    }
}

/// Creates the demo data unless the demo org exists. Returns whether it did.
pub async fn create_if_empty(
    db: &Db,
    hasher: &PasswordHasher,
    master_secret: &secrecy::SecretString,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await?;
    if store::find_org_by_name(&mut tx, ORG_NAME).await?.is_some() {
        return Ok(false);
    }
    // One hash for every demo account: they share the published demo password
    // anyway, and hashing 280 times at OWASP's cost would take a minute. The
    // demo password is shorter than the policy allows for real accounts, so it
    // bypasses the policy check (demo data never exists in production).
    let hash = hasher.hash_demo_password(DEMO_PASSWORD).await?;
    let now = time::to_db(time::now());
    let org = OrgId::new();
    store::insert_org(&mut tx, org, ORG_NAME, now).await?;

    let mut people: Vec<(String, Role, Option<OrgId>, String)> = vec![
        (
            "hr@demo.taiwa.test".to_owned(),
            Role::Hr,
            Some(org),
            "人事 担当".to_owned(),
        ),
        (
            "operator@demo.taiwa.test".to_owned(),
            Role::Operator,
            None,
            "Taiwa 運営".to_owned(),
        ),
    ];
    people.extend((1..=EMPLOYEES).map(|i| {
        (
            format!("employee{i}@demo.taiwa.test"),
            Role::Employee,
            Some(org),
            demo_name(i),
        )
    }));
    people.extend((1..=CONSULTANTS).map(|i| {
        (
            format!("consultant{i}@demo.taiwa.test"),
            Role::Consultant,
            None,
            demo_name(i * 7 + 3),
        )
    }));

    let total = people.len();
    let mut consultants = Vec::new();
    let mut employees = Vec::new();
    let mut contacts = Vec::new();
    for (done, (email, role, org_id, name)) in people.into_iter().enumerate() {
        let email = Email::parse(&email).map_err(anyhow::Error::msg)?;
        let id = UserId::new();
        let user = NewUser {
            id,
            org_id,
            email: &email,
            password_hash: &hash,
            role,
            display_name: &name,
            created_at: now,
        };
        store::insert_user(&mut tx, &user).await?;
        contacts.push(taiwa_booking::store::NewContact {
            user: id,
            org: org_id,
            email: email.as_str().to_owned(),
            display_name: name.clone(),
            cohort: (role == Role::Employee).then(|| demo_cohort(done)),
            name: taiwa_booking::store::PersonName::default(),
        });
        match role {
            Role::Consultant => consultants.push((id, name)),
            Role::Employee => employees.push(id),
            Role::Operator => {
                // The demo operator's enrolment code is as public as the
                // demo password; a real operator gets a one-time one.
                let ten_years = now + 10 * 365 * 24 * 3600 * 1000;
                taiwa_identity::store::mfa::save_enrolment_code(
                    &mut tx,
                    id,
                    &taiwa_identity::enrolment::digest(OPERATOR_ENROLMENT_CODE),
                    ten_years,
                    None,
                )
                .await?;
            }
            Role::Hr => {}
        }
        if (done + 1) % 20 == 0 || done + 1 == total {
            progress(done + 1, total);
        }
    }
    tx.commit().await?;
    let matching = taiwa_matching::demo::seed(db, &consultants, &employees).await?;
    let (next, coming) =
        taiwa_booking::demo::seed(db, &matching.standings, &employees, org, DEMO_CREDITS).await?;
    taiwa_matching::demo::record_next_available(db, &next).await?;
    let master = taiwa_booking::crypto::MasterKey::from_secret(master_secret);
    let reports = taiwa_reporting::demo::seed(db, org, REPORTING_PEOPLE_PER_QUARTER).await?;
    let past =
        taiwa_booking::demo::seed_past_sessions(db, &master, &employees, &matching.standings, org)
            .await?;
    taiwa_booking::demo::seed_contacts(db, &contacts).await?;
    eprintln!(
        "demo data: {} consultant profiles, assessments and availability (Tokyo, London, New York, Kolkata), \
         {} past session ratings, {past} held sessions with records, {coming} sessions to come, {reports} de-identified report records, {DEMO_CREDITS} session credits for {ORG_NAME}",
        consultants.len(),
        matching.ratings
    );
    Ok(true)
}

/// A department and age band for the `n`th demo person, spread so that the
/// larger departments can be reported on and the smaller ones are suppressed.
fn demo_cohort(n: usize) -> String {
    const DEPARTMENTS: [&str; 5] = ["営業部", "開発部", "開発部", "管理部", "営業部"];
    const AGE_BANDS: [&str; 4] = ["under_30", "30s", "40s", "50s"];
    serde_json::json!({
        "department": DEPARTMENTS[n % DEPARTMENTS.len()],
        "age_band": AGE_BANDS[(n / 5) % AGE_BANDS.len()],
    })
    .to_string()
}
