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
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_default()
    }

    fn every_day(tz: Tz, start: NaiveTime, end: NaiveTime) -> Availability {
        Availability {
            tz,
            weekly: (1..=7)
                .map(|weekday| WeeklyRule {
                    weekday,
                    start,
                    end,
                })
                .collect(),
            overrides: HashMap::new(),
            session_minutes: vec![60],
            buffer_before: 0,
            buffer_after: 0,
            min_notice_minutes: 0,
            horizon_days: 365,
            max_per_day: 0,
        }
    }

    #[test]
    fn london_nine_oclock_follows_the_clock_changes() {
        let a = every_day(chrono_tz::Europe::London, t(9, 0), t(10, 0));
        let now = utc("2026-01-01T00:00:00Z");
        // Sunday 2026-03-29 clocks go forward: 09:00 BST = 08:00 UTC.
        let spring = a.slots(
            utc("2026-03-28T00:00:00Z"),
            utc("2026-03-30T00:00:00Z"),
            60,
            &[],
            now,
        );
        assert_eq!(
            spring.iter().map(|s| s.start).collect::<Vec<_>>(),
            [utc("2026-03-28T09:00:00Z"), utc("2026-03-29T08:00:00Z")]
        );
        // Sunday 2026-10-25 clocks go back: 09:00 GMT = 09:00 UTC.
        let autumn = a.slots(
            utc("2026-10-24T00:00:00Z"),
            utc("2026-10-26T00:00:00Z"),
            60,
            &[],
            now,
        );
        assert_eq!(
            autumn.iter().map(|s| s.start).collect::<Vec<_>>(),
            [utc("2026-10-24T08:00:00Z"), utc("2026-10-25T09:00:00Z")]
        );
    }

    #[test]
    fn a_skipped_hour_holds_nothing_and_a_repeated_hour_holds_two_sessions() {
        let now = utc("2026-01-01T00:00:00Z");
        // 01:00–02:00 London does not exist on 2026-03-29.
        let skipped = every_day(chrono_tz::Europe::London, t(1, 0), t(2, 0));
        let day = skipped.slots(
            utc("2026-03-29T00:00:00Z"),
            utc("2026-03-29T23:00:00Z"),
            60,
            &[],
            now,
        );
        assert!(day.is_empty(), "{day:?}");
        // 01:00–02:00 London happens twice on 2026-10-25: two real hours,
        // both occurrences of 01:00 listed (00:00Z as BST, 01:00Z as GMT).
        let repeated = every_day(chrono_tz::Europe::London, t(1, 0), t(2, 0));
        let day = repeated.slots(
            utc("2026-10-24T23:30:00Z"),
            utc("2026-10-25T23:00:00Z"),
            60,
            &[],
            now,
        );
        assert_eq!(
            day.iter().map(|s| s.start).collect::<Vec<_>>(),
            [utc("2026-10-25T00:00:00Z"), utc("2026-10-25T01:00:00Z")]
        );
        assert!(repeated.is_bookable(utc("2026-10-25T01:00:00Z"), 60, &[], now));
    }

    #[test]
    fn sessions_fit_in_elapsed_time_across_the_spring_gap() {
        // New York springs forward on 2026-03-08 at 02:00 EST → 03:00 EDT:
        // 01:30–03:00 local is 06:30Z–07:00Z, thirty real minutes.
        let a = every_day(chrono_tz::America::New_York, t(1, 30), t(3, 0));
        let now = utc("2026-01-01T00:00:00Z");
        assert!(
            !a.is_bookable(utc("2026-03-08T06:30:00Z"), 60, &[], now),
            "an hour does not fit in thirty minutes"
        );
        assert!(
            a.slots(
                utc("2026-03-08T00:00:00Z"),
                utc("2026-03-09T00:00:00Z"),
                60,
                &[],
                now
            )
            .is_empty()
        );
        let mut half = a.clone();
        half.session_minutes = vec![30];
        assert_eq!(
            half.slots(
                utc("2026-03-08T00:00:00Z"),
                utc("2026-03-09T00:00:00Z"),
                30,
                &[],
                now
            )
            .iter()
            .map(|s| (s.start, s.end))
            .collect::<Vec<_>>(),
            [(utc("2026-03-08T06:30:00Z"), utc("2026-03-08T07:00:00Z"))]
        );
        // The day before, the same hours hold one hour: 01:30 EST = 06:30Z.
        assert!(a.is_bookable(utc("2026-03-07T06:30:00Z"), 60, &[], now));
        // A start inside the gap stands for the moment the clocks jump.
        let late = every_day(chrono_tz::America::New_York, t(2, 30), t(4, 0));
        assert_eq!(
            late.slots(
                utc("2026-03-08T00:00:00Z"),
                utc("2026-03-09T00:00:00Z"),
                60,
                &[],
                now
            )
            .iter()
            .map(|s| s.start)
            .collect::<Vec<_>>(),
            [utc("2026-03-08T07:00:00Z")]
        );
    }

    #[test]
    fn both_occurrences_of_a_repeated_time_can_be_booked() {
        // New York falls back on 2026-11-01 at 02:00 EDT → 01:00 EST.
        let a = every_day(chrono_tz::America::New_York, t(1, 0), t(2, 0));
        let now = utc("2026-06-01T00:00:00Z");
        let first = utc("2026-11-01T05:00:00Z"); // 01:00 EDT
        let second = utc("2026-11-01T06:00:00Z"); // 01:00 EST
        assert!(a.is_bookable(first, 60, &[], now));
        assert!(a.is_bookable(second, 60, &[], now));
        let booked = [Busy {
            start: first,
            end: second,
        }];
        assert!(
            a.is_bookable(second, 60, &booked, now),
            "the second 01:00 is free after the first is booked"
        );
    }

    #[test]
    fn a_repeated_hour_opens_only_the_clock_times_of_the_hours() {
        let now = utc("2026-06-01T00:00:00Z");
        // London 2026-10-25: 00:00–01:00 local is 23:00Z–00:00Z only (the
        // clock then reads 01:00 BST, outside the hours).
        let london = every_day(chrono_tz::Europe::London, t(0, 0), t(1, 0));
        assert_eq!(
            london
                .slots(
                    utc("2026-10-24T20:00:00Z"),
                    utc("2026-10-25T06:00:00Z"),
                    60,
                    &[],
                    now
                )
                .iter()
                .map(|s| s.start)
                .collect::<Vec<_>>(),
            [utc("2026-10-24T23:00:00Z")]
        );
        // New York 2026-11-01: 01:00–01:30 local happens twice, 30 minutes
        // each time: two half-hour sessions, no hour-long one.
        let mut short = every_day(chrono_tz::America::New_York, t(1, 0), t(1, 30));
        assert!(
            short
                .slots(
                    utc("2026-11-01T00:00:00Z"),
                    utc("2026-11-01T12:00:00Z"),
                    60,
                    &[],
                    now
                )
                .is_empty()
        );
        short.session_minutes = vec![30];
        assert_eq!(
            short
                .slots(
                    utc("2026-11-01T00:00:00Z"),
                    utc("2026-11-01T12:00:00Z"),
                    30,
                    &[],
                    now
                )
                .iter()
                .map(|s| s.start)
                .collect::<Vec<_>>(),
            [utc("2026-11-01T05:00:00Z"), utc("2026-11-01T06:00:00Z")]
        );
    }

    #[test]
    fn a_session_can_end_at_midnight_and_touching_hours_merge() {
        let now = utc("2026-06-01T00:00:00Z");
        let interval = parse_interval("23:00", "24:00").expect("24:00 ends the day");
        assert_eq!(format_end(interval.end), "24:00");
        assert!(parse_interval("23:00", "23:00").is_err());
        assert!(parse_interval("09:00", "24:30").is_err());
        let late = every_day(chrono_tz::Asia::Tokyo, interval.start, interval.end);
        // 23:00–24:00 JST on 2026-06-10 is 14:00Z–15:00Z.
        assert!(late.is_bookable(utc("2026-06-10T14:00:00Z"), 60, &[], now));
        let mut split = every_day(chrono_tz::Asia::Tokyo, t(8, 0), t(8, 30));
        let day = NaiveDate::from_ymd_opt(2026, 6, 10).unwrap_or_default();
        split.overrides.insert(
            day,
            vec![
                parse_interval("09:00", "09:30").expect("interval"),
                parse_interval("09:30", "11:00").expect("interval"),
            ],
        );
        // 09:00 JST = 00:00Z: an hour across the two touching intervals.
        assert!(split.is_bookable(utc("2026-06-10T00:00:00Z"), 60, &[], now));
        assert!(split.is_bookable(utc("2026-06-10T01:00:00Z"), 60, &[], now));
    }

    #[test]
    fn overrides_apply_to_the_consultants_date_and_can_block_it() {
        let mut a = every_day(chrono_tz::Asia::Tokyo, t(9, 0), t(10, 0));
        let now = utc("2026-12-01T00:00:00Z");
        let christmas_eve = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap_or_default();
        a.overrides.insert(
            christmas_eve,
            vec![Interval {
                start: t(20, 0),
                end: t(21, 0),
            }],
        );
        let slots = a.slots(
            utc("2026-12-23T12:00:00Z"),
            utc("2026-12-24T23:59:00Z"),
            60,
            &[],
            now,
        );
        // Tokyo's 24th: 09:00 JST (= 23rd 00:00Z) is replaced by 20:00 JST (= 24th 11:00Z).
        assert_eq!(
            slots.iter().map(|s| s.start).collect::<Vec<_>>(),
            [utc("2026-12-24T11:00:00Z")]
        );
        a.overrides.insert(christmas_eve, vec![]);
        assert!(
            a.slots(
                utc("2026-12-23T12:00:00Z"),
                utc("2026-12-24T14:00:00Z"),
                60,
                &[],
                now
            )
            .is_empty()
        );
    }

    #[test]
    fn half_hour_zones_align_to_their_local_clock() {
        let a = every_day(chrono_tz::Asia::Kolkata, t(9, 0), t(11, 0));
        let slots = a.slots(
            utc("2026-06-01T00:00:00Z"),
            utc("2026-06-01T12:00:00Z"),
            60,
            &[],
            utc("2026-05-01T00:00:00Z"),
        );
        // 09:00 and 10:00 IST.
        let starts: Vec<_> = slots.iter().map(|s| s.start).collect();
        assert_eq!(
            starts,
            [utc("2026-06-01T03:30:00Z"), utc("2026-06-01T04:30:00Z")]
        );
    }

    #[test]
    fn notice_horizon_and_daily_cap() {
        let mut a = every_day(chrono_tz::UTC, t(9, 0), t(12, 0));
        a.min_notice_minutes = 60;
        a.horizon_days = 2;
        let now = utc("2026-06-01T08:00:00Z");
        assert!(
            a.is_bookable(utc("2026-06-01T09:00:00Z"), 60, &[], now),
            "exactly at the notice"
        );
        assert!(
            !a.is_bookable(
                utc("2026-06-01T09:00:00Z"),
                60,
                &[],
                now + Duration::minutes(1)
            ),
            "one minute inside"
        );
        // The horizon ends at now + 2 days = 06-03 09:00 (exclusive) for now = 06-01 09:00.
        let later = utc("2026-06-01T09:00:00Z");
        assert!(
            !a.is_bookable(utc("2026-06-03T09:00:00Z"), 60, &[], later),
            "exactly at the horizon"
        );
        assert!(
            a.is_bookable(
                utc("2026-06-03T09:00:00Z"),
                60,
                &[],
                later + Duration::minutes(1)
            ),
            "one minute inside the horizon"
        );
        a.max_per_day = 1;
        let booked = [Busy {
            start: utc("2026-06-02T09:00:00Z"),
            end: utc("2026-06-02T10:00:00Z"),
        }];
        assert!(
            !a.is_bookable(utc("2026-06-02T11:00:00Z"), 60, &booked, now),
            "the day is full"
        );
        assert!(a.is_bookable(utc("2026-06-01T11:00:00Z"), 60, &booked, now));
    }

    #[test]
    fn overlaps_and_stacked_buffers_conflict() {
        // Overlapping rules merge: 10:00–11:00, 10:30–11:30 and 11:00–13:00
        // are 10:00–13:00, hour-long sessions at 10, 11 and 12.
        let mut a = every_day(chrono_tz::UTC, t(10, 0), t(11, 0));
        a.weekly.extend((1..=7).map(|weekday| WeeklyRule {
            weekday,
            start: t(10, 30),
            end: t(11, 30),
        }));
        a.weekly.extend((1..=7).map(|weekday| WeeklyRule {
            weekday,
            start: t(11, 0),
            end: t(13, 0),
        }));
        let now = utc("2026-06-01T00:00:00Z");
        assert_eq!(
            a.slots(
                utc("2026-06-02T00:00:00Z"),
                utc("2026-06-03T00:00:00Z"),
                60,
                &[],
                now
            )
            .iter()
            .map(|s| s.start)
            .collect::<Vec<_>>(),
            [
                utc("2026-06-02T10:00:00Z"),
                utc("2026-06-02T11:00:00Z"),
                utc("2026-06-02T12:00:00Z")
            ]
        );
        // A session booked at 10:30 (say, a 30-minute one) overlaps both.
        let booked = [Busy {
            start: utc("2026-06-02T10:30:00Z"),
            end: utc("2026-06-02T11:00:00Z"),
        }];
        assert!(
            !a.is_bookable(utc("2026-06-02T10:00:00Z"), 60, &booked, now),
            "10:00–11:00 overlaps 10:30–11:00"
        );
        assert!(
            a.is_bookable(utc("2026-06-02T11:00:00Z"), 60, &booked, now),
            "back to back is fine without buffers"
        );
        a.buffer_after = 15;
        a.buffer_before = 15;
        assert!(
            !a.is_bookable(utc("2026-06-02T11:00:00Z"), 60, &booked, now),
            "buffers stack: 30 minutes apart needed"
        );
        assert!(a.is_bookable(utc("2026-06-02T12:00:00Z"), 60, &booked, now));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn zone(i: usize) -> Tz {
        [
            chrono_tz::Asia::Tokyo,
            chrono_tz::Europe::London,
            chrono_tz::America::New_York,
            chrono_tz::Asia::Kolkata,
        ][i % 4]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every listed slot can be booked, and every bookable time on the
        /// grid is listed — for generated rules, zones, buffers and bookings,
        /// around the DST changes of 2026.
        #[test]
        fn listed_equals_bookable(
            zone_ix in 0usize..4,
            rules in proptest::collection::vec((1u32..=7, 0u32..40, 1u32..16), 1..6),
            buffer in 0u32..40,
            max_per_day in 0u32..4,
            notice in 0u32..600,
            booked_at in proptest::collection::vec(0i64..(14 * 48), 0..6),
            day_offset in 0i64..300,
        ) {
            let weekly = rules
                .iter()
                .map(|(weekday, start_half, len_half)| {
                    let start = NaiveTime::from_hms_opt((start_half / 2) % 24, (start_half % 2) * 30, 0).unwrap_or_default();
                    let end_minutes = (start_half + len_half).min(48) * 30;
                    let end = NaiveTime::from_hms_opt(end_minutes / 60, end_minutes % 60, 0).unwrap_or_default();
                    WeeklyRule { weekday: *weekday, start, end }
                })
                .filter(|r| end_minutes(r.end) > r.start.num_seconds_from_midnight() / 60)
                .collect();
            let a = Availability {
                tz: zone(zone_ix),
                weekly,
                overrides: HashMap::new(),
                session_minutes: vec![30, 60],
                buffer_before: buffer,
                buffer_after: buffer,
                min_notice_minutes: notice,
                horizon_days: 20,
                max_per_day,
            };
            let now = "2026-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap_or_default() + Duration::days(day_offset);
            let booked: Vec<Busy> = booked_at
                .iter()
                .map(|k| {
                    let start = now + Duration::minutes(30 * k);
                    Busy { start, end: start + Duration::minutes(60) }
                })
                .collect();
            let from = now;
            let to = now + Duration::days(14);
            let listed = a.slots(from, to, 60, &booked, now);
            for slot in &listed {
                prop_assert!(a.is_bookable(slot.start, 60, &booked, now), "listed but not bookable: {slot:?}");
                prop_assert_eq!(slot.end - slot.start, Duration::minutes(60));
            }
            let mut t = from;
            while t < to {
                if a.is_bookable(t, 60, &booked, now) {
                    prop_assert!(listed.iter().any(|s| s.start == t), "bookable but not listed: {t}");
                }
                t += Duration::minutes(30);
            }
        }
    }
}
