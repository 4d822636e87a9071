//! The slot picker of the profile and move pages, like the best booking
//! pages: the session length first, then a month calendar (week by week,
//! in the viewer's zone) whose days with free times are links, month after
//! month through the consultant's whole horizon; the chosen day's times
//! below it, each labelled with its zone. Plain links and radio buttons:
//! it works without JavaScript and by keyboard.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::i18n::Lang;
use crate::session::urlencode;

/// How many months ahead a visitor may page (the API's longest horizon is
/// 365 days).
const MONTHS_AHEAD: u32 = 13;

/// `?month=YYYY-MM&day=YYYY-MM-DD` of a page with the picker.
#[derive(Deserialize, Default)]
pub struct Wanted {
    /// The month shown.
    pub month: Option<String>,
    /// The day whose times are shown.
    pub day: Option<String>,
}

/// A free time of the chosen day.
pub struct Time {
    /// RFC 3339 start (UTC), the form's value.
    pub starts_at: String,
    /// Local `HH:MM` (with the offset on a night the clocks repeat).
    pub time: String,
    /// The zone's abbreviation at that time (`JST`, `GMT`, `+08`).
    pub zone: String,
    /// The whole date and time, for screen readers.
    pub label: String,
}

/// One square of the month.
pub struct Cell {
    /// Day of the month; 0 for the squares before the 1st and after the end.
    pub number: u32,
    /// Link to the day's times; empty for a day without any.
    pub href: String,
    /// The day and how many free times it has, for screen readers.
    pub label: String,
    /// Its free times.
    pub count: usize,
    /// The day whose times are shown.
    pub chosen: bool,
    /// Today in the viewer's zone.
    pub today: bool,
}

/// A session length the consultant offers.
pub struct Length {
    /// Minutes.
    pub minutes: u32,
    /// The picker at this length.
    pub href: String,
    /// The one shown.
    pub chosen: bool,
}

/// The picker, ready for `calendar.html`.
pub struct Picker {
    /// The lengths offered (one or more; empty when nothing could be read).
    pub lengths: Vec<Length>,
    /// The length of the times shown.
    pub minutes: u32,
    /// `2026年12月` or `December 2026`.
    pub month: String,
    /// Weekday headings, Sunday first.
    pub weekdays: [&'static str; 7],
    /// The month, week by week.
    pub weeks: Vec<Vec<Cell>>,
    /// The month before (empty before this month).
    pub prev: String,
    /// The month after (empty past the consultant's horizon).
    pub next: String,
    /// The chosen day, written out (empty when the month has no times).
    pub day: String,
    /// The chosen day's times.
    pub times: Vec<Time>,
    /// The viewer's zone (IANA name).
    pub tz: String,
    /// The end of the consultant's horizon (local), or empty.
    pub until: String,
    /// The month has no free time at all.
    pub empty: bool,
    /// The month shown (`YYYY-MM`), to keep when the zone changes.
    pub month_param: String,
    /// The day chosen (`YYYY-MM-DD`), or empty.
    pub day_param: String,
}

/// Where the picker's links lead and what they keep.
pub struct Place<'a> {
    /// The page's path (`/consultants/{id}`).
    pub path: &'a str,
    /// Whether the visitor may choose the length (not when moving).
    pub choose_length: bool,
    /// The day to open on when the visitor chose none (the booking's own
    /// day when moving).
    pub near: Option<DateTime<Utc>>,
}

/// What the slots API answered for one month.
struct Month {
    first: NaiveDate,
    slots: Vec<DateTime<Utc>>,
    minutes: u32,
    offered: Vec<u32>,
    until: Option<DateTime<Utc>>,
}

/// The first instant of a local date (the first that exists, on a day
/// whose midnight the clocks skip).
fn start_of(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    (0..3)
        .find_map(|h| {
            date.and_hms_opt(h, 0, 0)
                .and_then(|t| tz.from_local_datetime(&t).earliest())
        })
        .map_or_else(
            || date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

fn first_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn next_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first)
}

fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    i64::from(b.year() - a.year()) * 12 + i64::from(b.month()) - i64::from(a.month())
}

fn stamp(t: DateTime<Utc>) -> String {
    urlencode(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// One month's free times (`consultant` URL-safe), at `minutes` or — when
/// the consultant does not offer that and `fallback` allows — at their
/// shortest.
async fn month(
    ctx: &Ctx,
    consultant: &str,
    minutes: Option<u32>,
    fallback: bool,
    first: NaiveDate,
    now: DateTime<Utc>,
) -> Month {
    let tz = ctx.v.tz;
    let from = start_of(tz, first).max(now);
    let to = start_of(tz, next_month(first));
    let mut out = Month {
        first,
        slots: Vec::new(),
        minutes: minutes.unwrap_or(60),
        offered: Vec::new(),
        until: None,
    };
    if to <= from {
        return out;
    }
    let ask = |m: Option<u32>| {
        let length = m
            .map(|m| format!("&duration_minutes={m}"))
            .unwrap_or_default();
        format!(
            "/api/v1/consultants/{consultant}/slots?from={}&to={}{length}",
            stamp(from),
            stamp(to)
        )
    };
    let answer = match ctx.get::<Value>(&ask(minutes)).await {
        Err(f) if f.code == "invalid_duration" && minutes.is_some() && fallback => {
            ctx.get::<Value>(&ask(None)).await
        }
        other => other,
    };
    let Ok(body) = answer else { return out };
    let number = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
    out.minutes = number(&body["duration_minutes"]).unwrap_or(out.minutes);
    out.offered = body["session_minutes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(number)
        .collect();
    out.until = body["bookable_until"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    out.slots = body["slots"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["starts_at"].as_str())
        .filter_map(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .collect();
    out
}

/// The picker for `consultant` (URL-safe) at `minutes`, on the month and
/// day the visitor asked for. Without a month, it opens on the first month
/// with a free time (looking up to three months on).
pub async fn picker(
    ctx: &Ctx,
    consultant: &str,
    minutes: Option<u32>,
    wanted: &Wanted,
    place: &Place<'_>,
) -> Picker {
    let tz = ctx.v.tz;
    let l = ctx.l();
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let this_month = first_of(today);
    let asked_day = wanted
        .day
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let asked_month = wanted
        .month
        .as_deref()
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .or(asked_day.map(first_of))
        .or(place
            .near
            .map(|t| first_of(t.with_timezone(&tz).date_naive())))
        .filter(|m| (0..=i64::from(MONTHS_AHEAD)).contains(&months_between(this_month, *m)));
    // Moving keeps the booking's length: no other length stands in for it.
    let fallback = place.choose_length;
    let mut shown = month(
        ctx,
        consultant,
        minutes,
        fallback,
        asked_month.unwrap_or(this_month),
        now,
    )
    .await;
    if asked_month.is_none() {
        for _ in 0..3 {
            let later = next_month(shown.first);
            if !shown.slots.is_empty() || shown.until.is_none_or(|u| start_of(tz, later) >= u) {
                break;
            }
            shown = month(ctx, consultant, Some(shown.minutes), fallback, later, now).await;
        }
    }
    let first = shown.first;
    let local_day = |t: &DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let has_times = |d: NaiveDate| shown.slots.iter().any(|t| local_day(t) == d);
    let chosen = asked_day
        .filter(|d| has_times(*d))
        .or(place.near.map(|t| local_day(&t)).filter(|d| has_times(*d)))
        .or(shown.slots.first().map(local_day));
    let keep = if place.choose_length {
        format!("duration={}&", shown.minutes)
    } else {
        String::new()
    };
    let link = |month: NaiveDate, day: Option<NaiveDate>| {
        let day = day
            .map(|d| format!("&day={}", d.format("%Y-%m-%d")))
            .unwrap_or_default();
        format!(
            "{}?{keep}month={}{day}#pick",
            place.path,
            month.format("%Y-%m")
        )
    };
    let weeks = grid(first, today, chosen, |d| {
        let count = shown.slots.iter().filter(|t| local_day(t) == d).count();
        let href = if count > 0 {
            link(first, Some(d))
        } else {
            String::new()
        };
        (count, href, day_label(l, d, count))
    });
    let later = next_month(first);
    let times = chosen.map_or_else(Vec::new, |d| {
        times(
            shown.slots.iter().filter(|t| local_day(t) == d).copied(),
            tz,
            l,
        )
    });
    Picker {
        lengths: if place.choose_length {
            shown
                .offered
                .iter()
                .map(|&m| Length {
                    minutes: m,
                    href: format!(
                        "{}?duration={m}&month={}#pick",
                        place.path,
                        first.format("%Y-%m")
                    ),
                    chosen: m == shown.minutes,
                })
                .collect()
        } else {
            Vec::new()
        },
        minutes: shown.minutes,
        month: if l.ja() {
            first.format("%Y年%-m月").to_string()
        } else {
            first.format("%B %Y").to_string()
        },
        weekdays: if l.ja() {
            ["日", "月", "火", "水", "木", "金", "土"]
        } else {
            ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        },
        weeks,
        prev: if first > this_month {
            link(
                first
                    .checked_sub_months(chrono::Months::new(1))
                    .unwrap_or(first),
                None,
            )
        } else {
            String::new()
        },
        next: if shown.until.is_some_and(|u| start_of(tz, later) < u)
            && months_between(this_month, later) <= i64::from(MONTHS_AHEAD)
        {
            link(later, None)
        } else {
            String::new()
        },
        day: chosen.map(|d| long_day(l, d)).unwrap_or_default(),
        times,
        tz: tz.name().to_owned(),
        until: shown.until.map(|u| l.when(u, tz)).unwrap_or_default(),
        empty: shown.slots.is_empty(),
        month_param: first.format("%Y-%m").to_string(),
        day_param: chosen
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    }
}

/// The month of `first`, week by week from Sunday; `day` gives each date's
/// count of free times, link and label.
fn grid(
    first: NaiveDate,
    today: NaiveDate,
    chosen: Option<NaiveDate>,
    day: impl Fn(NaiveDate) -> (usize, String, String),
) -> Vec<Vec<Cell>> {
    let mut weeks = Vec::new();
    let mut week: Vec<Cell> = (0..first.weekday().num_days_from_sunday())
        .map(|_| Cell::blank())
        .collect();
    let mut date = first;
    while date.month() == first.month() {
        let (count, href, label) = day(date);
        week.push(Cell {
            number: date.day(),
            href,
            label,
            count,
            chosen: Some(date) == chosen,
            today: date == today,
        });
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    if !week.is_empty() {
        week.resize_with(7, Cell::blank);
        weeks.push(week);
    }
    weeks
}

impl Cell {
    fn blank() -> Self {
        Self {
            number: 0,
            href: String::new(),
            label: String::new(),
            count: 0,
            chosen: false,
            today: false,
        }
    }
}

const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// `12月9日（水）` or `Wednesday 9 December`.
fn long_day(l: Lang, d: NaiveDate) -> String {
    if l.ja() {
        let w = WEEKDAYS_JA[d.weekday().num_days_from_monday() as usize];
        format!("{}（{w}）", d.format("%-m月%-d日"))
    } else {
        d.format("%A %-d %B").to_string()
    }
}

/// A day of the month for screen readers, with its count of free times.
fn day_label(l: Lang, d: NaiveDate, count: usize) -> String {
    match (l.ja(), count) {
        (true, 0) => format!("{}・空きなし", long_day(l, d)),
        (true, n) => format!("{}・空き{n}件", long_day(l, d)),
        (false, 0) => format!("{}, no free times", long_day(l, d)),
        (false, 1) => format!("{}, 1 free time", long_day(l, d)),
        (false, n) => format!("{}, {n} free times", long_day(l, d)),
    }
}

/// One day's times, each with its zone; a local time the clocks repeat (a
/// fall-back night) shows its offset, so the two can be told apart.
fn times(starts: impl Iterator<Item = DateTime<Utc>>, tz: Tz, l: Lang) -> Vec<Time> {
    let starts: Vec<DateTime<Utc>> = starts.collect();
    let hm = |t: &DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    starts
        .iter()
        .map(|t| {
            let local = t.with_timezone(&tz);
            let repeated = starts.iter().filter(|o| hm(o) == hm(t)).count() > 1;
            let zone = local.format("%Z").to_string();
            Time {
                starts_at: t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                time: if repeated {
                    local.format("%H:%M (UTC%:z)").to_string()
                } else {
                    hm(t)
                },
                label: format!("{} {zone}", l.when(*t, tz)),
                zone,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
