//! `/api/v1/consultants/me/availability` and `/api/v1/consultants/{id}/slots`.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use shared::auth::Caller;
use shared::error::{ApiError, ErrorBody};
use shared::http::{Json, Path, Query};
use shared::ids::UserId;
use shared::time;
use utoipa::{IntoParams, ToSchema};

use crate::booking::{SlotWindow, free_slots, set_override, set_weekly};
use crate::domain::availability::{Availability, Interval, WeeklyRule, format_end, parse_interval};
use crate::policy::{Action, authorize};
use crate::{BookingState, store};

/// Hours on one weekday, local time.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct WeeklyInput {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u32,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`, after start.
    pub end: String,
}

/// A local time range.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct IntervalInput {
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`, after start.
    pub end: String,
}

/// A consultant's availability.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
pub struct AvailabilityBody {
    /// IANA zone, e.g. `Asia/Tokyo`.
    pub timezone: String,
    /// Weekly hours.
    pub weekly: Vec<WeeklyInput>,
    /// Session lengths offered (minutes, 15–180).
    pub session_minutes: Vec<u32>,
    /// Buffer before and after each session (minutes), unless set separately.
    #[serde(default)]
    pub buffer_minutes: u32,
    /// Buffer before each session (overrides `buffer_minutes`).
    #[serde(default)]
    pub buffer_before_minutes: Option<u32>,
    /// Buffer after each session (overrides `buffer_minutes`).
    #[serde(default)]
    pub buffer_after_minutes: Option<u32>,
    /// Earliest booking relative to now (minutes).
    #[serde(default)]
    pub min_notice_minutes: u32,
    /// Latest booking relative to now (days, 1–365).
    pub horizon_days: u32,
    /// Most sessions per local day (0 = no limit).
    #[serde(default)]
    pub max_per_day: u32,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::unprocessable("invalid_availability", message)
}

fn interval(start: &str, end: &str) -> Result<Interval, ApiError> {
    parse_interval(start, end).map_err(bad)
}

impl AvailabilityBody {
    /// The availability this body describes, or why it is not valid.
    pub(crate) fn parse(&self) -> Result<Availability, ApiError> {
        let tz: Tz = self
            .timezone
            .parse()
            .map_err(|_| bad(format!("{:?} is not an IANA time zone", self.timezone)))?;
        let mut weekly = Vec::new();
        for w in &self.weekly {
            if !(1..=7).contains(&w.weekday) {
                return Err(bad("weekday must be 1 (Monday) to 7 (Sunday)"));
            }
            let i = interval(&w.start, &w.end)?;
            weekly.push(WeeklyRule {
                weekday: w.weekday,
                start: i.start,
                end: i.end,
            });
        }
        if weekly.len() > 100 {
            return Err(bad("at most 100 weekly rules"));
        }
        let mut session_minutes = self.session_minutes.clone();
        session_minutes.sort_unstable();
        session_minutes.dedup();
        if session_minutes.is_empty() || session_minutes.iter().any(|m| !(15..=180).contains(m)) {
            return Err(bad(
                "session_minutes: one or more lengths between 15 and 180",
            ));
        }
        let before = self.buffer_before_minutes.unwrap_or(self.buffer_minutes);
        let after = self.buffer_after_minutes.unwrap_or(self.buffer_minutes);
        if before > 240 || after > 240 || self.min_notice_minutes > 60 * 24 * 60 {
            return Err(bad("buffers at most 240 minutes; notice at most 60 days"));
        }
        if !(1..=365).contains(&self.horizon_days) || self.max_per_day > 48 {
            return Err(bad("horizon_days 1–365; max_per_day 0–48"));
        }
        Ok(Availability {
            tz,
            weekly,
            overrides: HashMap::new(),
            session_minutes,
            buffer_before: before,
            buffer_after: after,
            min_notice_minutes: self.min_notice_minutes,
            horizon_days: self.horizon_days,
            max_per_day: self.max_per_day,
        })
    }
}

fn body_of(a: &Availability) -> AvailabilityBody {
    AvailabilityBody {
        timezone: a.tz.name().to_owned(),
        weekly: a
            .weekly
            .iter()
            .map(|r| WeeklyInput {
                weekday: r.weekday,
                start: r.start.format("%H:%M").to_string(),
                end: format_end(r.end),
            })
            .collect(),
        session_minutes: a.session_minutes.clone(),
        buffer_minutes: a.buffer_before.max(a.buffer_after),
        buffer_before_minutes: Some(a.buffer_before),
        buffer_after_minutes: Some(a.buffer_after),
        min_notice_minutes: a.min_notice_minutes,
        horizon_days: a.horizon_days,
        max_per_day: a.max_per_day,
    }
}

/// The signed-in consultant's availability.
#[utoipa::path(get, path = "/api/v1/consultants/me/availability", tag = "booking", security(("bearer" = [])),
    responses((status = 200, description = "Availability", body = AvailabilityBody), (status = 403, description = "Not a consultant", body = ErrorBody), (status = 404, description = "Not set yet", body = ErrorBody)))]
pub async fn get_own(
    State(state): State<BookingState>,
    caller: Caller,
) -> Result<Json<AvailabilityBody>, ApiError> {
    authorize(&caller, Action::EditOwnAvailability)?;
    let mut conn = state.db.pool().acquire().await?;
    let a = store::load_availability(&mut conn, caller.user_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(body_of(&a)))
}

/// Sets the signed-in consultant's weekly availability and rules.
#[utoipa::path(put, path = "/api/v1/consultants/me/availability", tag = "booking", security(("bearer" = [])),
    request_body = AvailabilityBody,
    responses(
        (status = 200, description = "Saved", body = AvailabilityBody),
        (status = 403, description = "Consultants only", body = ErrorBody),
        (status = 422, description = "Invalid zone, times or limits", body = ErrorBody),
    ))]
pub async fn put_own(
    State(state): State<BookingState>,
    caller: Caller,
    Json(body): Json<AvailabilityBody>,
) -> Result<Json<AvailabilityBody>, ApiError> {
    authorize(&caller, Action::EditOwnAvailability)?;
    let availability = body.parse()?;
    set_weekly(&state, caller.user_id, &availability).await?;
    Ok(Json(body_of(&availability)))
}

/// One date's hours, replacing the weekly hours that day.
#[derive(Deserialize, ToSchema)]
pub struct OverrideBody {
    /// The consultant's local date, `YYYY-MM-DD`.
    pub date: String,
    /// Hours that day; empty = unavailable all day.
    pub intervals: Vec<IntervalInput>,
}

impl OverrideBody {
    /// The date and its hours, or why they are not valid.
    pub(crate) fn parse(&self) -> Result<(NaiveDate, Vec<Interval>), ApiError> {
        let date = NaiveDate::parse_from_str(&self.date, "%Y-%m-%d")
            .map_err(|_| bad(format!("{:?} is not a date like 2026-12-24", self.date)))?;
        let date = time::date_within_bounds(date, "date")?;
        let intervals = self
            .intervals
            .iter()
            .map(|i| interval(&i.start, &i.end))
            .collect::<Result<Vec<_>, _>>()?;
        if intervals.len() > 24 {
            return Err(bad("at most 24 intervals per day"));
        }
        Ok((date, intervals))
    }
}

/// Sets or clears one date (in the consultant's zone).
#[utoipa::path(post, path = "/api/v1/consultants/me/availability/overrides", tag = "booking", security(("bearer" = [])),
    request_body = OverrideBody,
    responses(
        (status = 204, description = "Saved"),
        (status = 403, description = "Not a consultant", body = ErrorBody),
        (status = 409, description = "Set the weekly availability first", body = ErrorBody),
        (status = 422, description = "Invalid date or times", body = ErrorBody),
    ))]
pub async fn add_override(
    State(state): State<BookingState>,
    caller: Caller,
    Json(body): Json<OverrideBody>,
) -> Result<StatusCode, ApiError> {
    authorize(&caller, Action::EditOwnAvailability)?;
    let (date, intervals) = body.parse()?;
    set_override(&state, caller.user_id, date, &intervals).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The window and length of slots wanted.
#[derive(Deserialize, IntoParams)]
pub struct SlotParams {
    /// Window start (RFC 3339; default now).
    pub from: Option<DateTime<Utc>>,
    /// Window end (RFC 3339; default from + 14 days; at most 92 days after from).
    pub to: Option<DateTime<Utc>>,
    /// Session length (one the consultant offers; default their shortest).
    pub duration_minutes: Option<u32>,
}

/// A bookable slot.
#[derive(Serialize, ToSchema)]
pub struct SlotView {
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
}

/// Bookable slots.
#[derive(Serialize, ToSchema)]
pub struct SlotsResponse {
    /// The consultant's zone (show times in the viewer's own zone).
    pub timezone: String,
    /// The length of these slots, minutes.
    pub duration_minutes: u32,
    /// Every session length the consultant offers, minutes.
    pub session_minutes: Vec<u32>,
    /// The end of the consultant's booking horizon, rounded up to the
    /// hour: no slot starts at or after it, whatever the window asked for.
    pub bookable_until: DateTime<Utc>,
    /// Slots, earliest first.
    pub slots: Vec<SlotView>,
}

/// A consultant's bookable slots in a window (the same computation as the
/// booking check).
#[utoipa::path(get, path = "/api/v1/consultants/{id}/slots", tag = "booking", security(("bearer" = [])),
    params(("id" = UserId, Path, description = "Consultant"), SlotParams),
    responses(
        (status = 200, description = "Slots", body = SlotsResponse),
        (status = 403, description = "HR cannot see calendars", body = ErrorBody),
        (status = 404, description = "No such consultant or no availability", body = ErrorBody),
        (status = 422, description = "Bad window or length", body = ErrorBody),
    ))]
pub async fn slots(
    State(state): State<BookingState>,
    caller: Caller,
    Path(id): Path<UserId>,
    Query(p): Query<SlotParams>,
) -> Result<Json<SlotsResponse>, ApiError> {
    authorize(&caller, Action::SeeSlots)?;
    let window = SlotWindow {
        from: p.from,
        to: p.to,
        minutes: p.duration_minutes,
    };
    let free = free_slots(&state, &caller, id, window).await?;
    let slots = free
        .slots
        .into_iter()
        .map(|s| SlotView {
            starts_at: s.start,
            ends_at: s.end,
        })
        .collect();
    Ok(Json(SlotsResponse {
        timezone: free.tz.name().to_owned(),
        duration_minutes: free.minutes,
        session_minutes: free.offered,
        bookable_until: free.bookable_until,
        slots,
    }))
}
