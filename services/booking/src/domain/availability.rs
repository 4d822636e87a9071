//! A consultant's availability, in their IANA time zone, and the one function
//! that turns it into bookable slots — used both to list slots and to check a
//! booking, so the two can never disagree.
//!
//! Policy for daylight-saving changes: rules are local wall-clock times,
//! turned into real instants with the zone's rules *on that date*, and a
//! session must fit in **elapsed** time. A local time that does not exist
//! (skipped by a spring-forward) stands for the moment the clocks jump; a
//! local time that occurs twice (fall-back) opens an interval at its first
//! occurrence and closes one at its second, so the repeated hour is available
//! twice and both of its starts are listed. An interval may end at `24:00`
//! (stored as 00:00: [`Interval::end`]). One day's intervals that touch or
//! overlap are merged, so 09:00–09:30 and 09:30–11:00 hold a session at 09:00.
//! Within a merged interval, slots of one length follow each other at that
//! length from its start (09:00, 10:00, … for an hour), so listed slots of one
//! length never overlap. Half-hour and 45-minute zones need nothing special.

use std::collections::HashMap;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// Hours on one weekday (1 = Monday … 7 = Sunday), local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklyRule {
    /// ISO weekday, 1 = Monday.
    pub weekday: u32,
    /// Local start.
    pub start: NaiveTime,
    /// Local end (after start, same day).
    pub end: NaiveTime,
}

/// A local time range on some date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// Local start.
    pub start: NaiveTime,
    /// Local end; 00:00 means the end of the day (`24:00`).
    pub end: NaiveTime,
}

/// Whether a local end time is the end of the day (`24:00`, kept as 00:00).
pub fn ends_at_midnight(end: NaiveTime) -> bool {
    end == NaiveTime::MIN
}

/// Minutes from the day's start to a local end time (`24:00` = 1440).
pub fn end_minutes(end: NaiveTime) -> u32 {
    if ends_at_midnight(end) {
        24 * 60
    } else {
        end.num_seconds_from_midnight() / 60
    }
}

/// A start and end as a user writes them (`"09:00"`, `"24:00"`), or why not:
/// the end must come after the start on the same day.
pub fn parse_interval(start: &str, end: &str) -> Result<Interval, String> {
    let clock = |s: &str| {
        NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| format!("{s:?} is not a time like 09:30"))
    };
    let start = clock(start)?;
    let end = if end == "24:00" {
        NaiveTime::MIN
    } else {
        clock(end)?
    };
    if end_minutes(end) <= start.num_seconds_from_midnight() / 60 {
        return Err("an interval must end after it starts (same day; 24:00 for midnight)".into());
    }
    Ok(Interval { start, end })
}

/// A local end time as a user reads it (`24:00` for the end of the day).
pub fn format_end(end: NaiveTime) -> String {
    if ends_at_midnight(end) {
        "24:00".into()
    } else {
        end.format("%H:%M").to_string()
    }
}

/// Everything that decides a consultant's slots.
#[derive(Clone, Debug, PartialEq)]
pub struct Availability {
    /// The consultant's zone.
    pub tz: Tz,
    /// Weekly hours.
    pub weekly: Vec<WeeklyRule>,
    /// Date overrides: these intervals replace the weekly hours that day
    /// (empty = unavailable all day).
    pub overrides: HashMap<NaiveDate, Vec<Interval>>,
    /// Offered session lengths, minutes.
    pub session_minutes: Vec<u32>,
    /// Free time kept before each session, minutes.
    pub buffer_before: u32,
    /// Free time kept after each session, minutes.
    pub buffer_after: u32,
    /// Earliest booking relative to now, minutes.
    pub min_notice_minutes: u32,
    /// Latest booking relative to now, days.
    pub horizon_days: u32,
    /// Most sessions per local day (0 = no limit).
    pub max_per_day: u32,
}

/// A booked session as the slot function sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Busy {
    /// Session start.
    pub start: DateTime<Utc>,
    /// Session end.
    pub end: DateTime<Utc>,
}

/// A bookable slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// End (UTC).
    pub end: DateTime<Utc>,
}

impl Availability {
    fn intervals_on(&self, date: NaiveDate) -> Vec<Interval> {
        if let Some(intervals) = self.overrides.get(&date) {
            return intervals.clone();
        }
        let weekday = date.weekday().number_from_monday();
        self.weekly
            .iter()
            .filter(|r| r.weekday == weekday)
            .map(|r| Interval {
                start: r.start,
                end: r.end,
            })
            .collect()
    }

    /// The real instants a local date's hours span, merged where they touch
    /// or overlap, earliest first. The day is cut into stretches of one UTC
    /// offset; each interval is intersected, in local time, with each
    /// stretch, and mapped back with that stretch's offset. So a skipped
    /// hour holds nothing, a repeated hour inside the hours counts twice,
    /// and no instant outside the hours' clock times is ever open.
    fn open_on(&self, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let stretches = self.stretches_of(day);
        let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for i in self.intervals_on(day) {
            let low = day.and_time(i.start);
            let high = if ends_at_midnight(i.end) {
                match day.succ_opt() {
                    Some(next) => next.and_time(NaiveTime::MIN),
                    None => continue,
                }
            } else {
                day.and_time(i.end)
            };
            for &(from, to, offset) in &stretches {
                let (local_from, local_to) = (from.naive_utc() + offset, to.naive_utc() + offset);
                let (start, end) = (low.max(local_from), high.min(local_to));
                if start < end {
                    spans.push(((start - offset).and_utc(), (end - offset).and_utc()));
                }
            }
        }
        spans.sort();
        let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(spans.len());
        for (open, close) in spans {
            match merged.last_mut() {
                Some(last) if open <= last.1 => last.1 = last.1.max(close),
                _ => merged.push((open, close)),
            }
        }
        merged
    }

    /// The UTC offset in force at an instant.
    fn offset_at(&self, t: DateTime<Utc>) -> Duration {
        use chrono::Offset;
        Duration::seconds(i64::from(
            self.tz
                .offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc(),
        ))
    }

    /// A local date as stretches of real time with one UTC offset each:
    /// `(from, to, offset)`, from the day's first instant to the next day's.
    fn stretches_of(&self, day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>, Duration)> {
        let (Some(from), Some(to)) = (
            self.first_instant_of(day),
            day.succ_opt().and_then(|next| self.first_instant_of(next)),
        ) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut start = from;
        let mut offset = self.offset_at(from);
        // Most days have one offset throughout (no zone changes twice a day).
        if self.offset_at(to - Duration::seconds(1)) == offset {
            return vec![(from, to, offset)];
        }
        let mut t = from;
        let step = Duration::minutes(15);
        while t < to {
            let next = (t + step).min(to);
            if self.offset_at(next) != offset && next < to {
                // The change lies in (t, next]: find its minute.
                let (mut low, mut high) = (t, next);
                while high - low > Duration::minutes(1) {
                    let mid = low + (high - low) / 2;
                    if self.offset_at(mid) == offset {
                        low = mid;
                    } else {
                        high = mid;
                    }
                }
                out.push((start, high, offset));
                start = high;
                offset = self.offset_at(high);
            }
            t = next;
        }
        out.push((start, to, offset));
        out
    }

    /// The first instant whose local date is `day` (its midnight, or the
    /// moment the clocks jump when midnight is skipped).
    fn first_instant_of(&self, day: NaiveDate) -> Option<DateTime<Utc>> {
        let midnight = day.and_time(NaiveTime::MIN);
        match self.tz.from_local_datetime(&midnight) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
            LocalResult::None => (1..=25 * 60).find_map(|m| {
                self.tz
                    .from_local_datetime(&(midnight + Duration::minutes(m)))
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            }),
        }
    }

    /// The range a session blocks, buffers included (buffers of neighbouring
    /// sessions stack: the gap between two sessions is at least
    /// `buffer_after + buffer_before`).
    pub fn blocked(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            start - Duration::minutes(i64::from(self.buffer_before)),
            end + Duration::minutes(i64::from(self.buffer_after)),
        )
    }

    /// Bookable slots of `duration` minutes starting in `[from, to)`, given
    /// the sessions already booked and the current time.
    pub fn slots(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        duration: u32,
        booked: &[Busy],
        now: DateTime<Utc>,
    ) -> Vec<Slot> {
        if !self.session_minutes.contains(&duration) || from >= to {
            return Vec::new();
        }
        let earliest = (now + Duration::minutes(i64::from(self.min_notice_minutes))).max(from);
        let latest = (now + Duration::days(i64::from(self.horizon_days))).min(to);
        if earliest >= latest {
            return Vec::new();
        }
        let length = Duration::minutes(i64::from(duration));
        let mut per_day: HashMap<NaiveDate, u32> = HashMap::new();
        for b in booked {
            *per_day
                .entry(b.start.with_timezone(&self.tz).date_naive())
                .or_default() += 1;
        }
        let blocked: Vec<(DateTime<Utc>, DateTime<Utc>)> = booked
            .iter()
            .map(|b| self.blocked(b.start, b.end))
            .collect();
        let first_day = earliest.with_timezone(&self.tz).date_naive() - Duration::days(1);
        let last_day = latest.with_timezone(&self.tz).date_naive() + Duration::days(1);
        let mut out = Vec::new();
        let mut day = first_day;
        while day <= last_day {
            if self.max_per_day == 0 || per_day.get(&day).copied().unwrap_or(0) < self.max_per_day {
                for (open, close) in self.open_on(day) {
                    let mut start = open;
                    while start + length <= close {
                        let end = start + length;
                        let (b_start, b_end) = self.blocked(start, end);
                        let free = blocked.iter().all(|(s, e)| b_end <= *s || b_start >= *e);
                        if start >= earliest && start < latest && free {
                            out.push(Slot { start, end });
                        }
                        start = end;
                    }
                }
            }
            day += Duration::days(1);
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether a session of `duration` minutes can start exactly at `start`:
    /// the same computation as the slot list, over a window holding `start`.
    pub fn is_bookable(
        &self,
        start: DateTime<Utc>,
        duration: u32,
        booked: &[Busy],
        now: DateTime<Utc>,
    ) -> bool {
        self.slots(start, start + Duration::minutes(1), duration, booked, now)
            .iter()
            .any(|s| s.start == start)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;
