//! Business metrics: what Taiwa does, counted where it happens — bookings,
//! report builds, events delivered and consumed, and how long events take.
//! Labels are fixed words (an outcome, a consumer, an outbox), never an org, a
//! person or an id, so the private `/metrics` tells operators how the
//! product runs without telling anyone who used it.
//!
//! Counts are kept per process (every service in one process counts into
//! the same figures) and rendered by [`super::Metrics::render`].

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

use super::Histogram;

/// Bounds (seconds) of the event histograms: from a prompt in-process
/// hand-off to the half hour a NATS outage or the outbox's backoff can add.
const EVENT_BUCKETS: [f64; 10] = [0.01, 0.05, 0.25, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0];

// A histogram has one count per bound, whichever bounds it is counted in.
const _: () = assert!(EVENT_BUCKETS.len() == super::BUCKETS.len());

/// What a booking did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BookingOutcome {
    /// A session was booked (follow-ups count one each).
    Made,
    /// A booking was cancelled.
    Cancelled,
    /// A booking was moved to another time.
    Rescheduled,
}

impl BookingOutcome {
    fn label(self) -> &'static str {
        match self {
            Self::Made => "made",
            Self::Cancelled => "cancelled",
            Self::Rescheduled => "rescheduled",
        }
    }
}

struct Figures {
    bookings: BTreeMap<&'static str, u64>,
    report_builds: BTreeMap<&'static str, u64>,
    delivery: BTreeMap<&'static str, Histogram>,
    lag: BTreeMap<&'static str, Histogram>,
}

static FIGURES: Mutex<Figures> = Mutex::new(Figures {
    bookings: BTreeMap::new(),
    report_builds: BTreeMap::new(),
    delivery: BTreeMap::new(),
    lag: BTreeMap::new(),
});

fn with(f: impl FnOnce(&mut Figures)) {
    if let Ok(mut figures) = FIGURES.lock() {
        f(&mut figures);
    }
}

fn seconds_since(at: DateTime<Utc>) -> f64 {
    (Utc::now() - at).num_milliseconds().max(0) as f64 / 1000.0
}

/// Counts a booking's outcome.
pub fn booking(outcome: BookingOutcome) {
    with(|f| *f.bookings.entry(outcome.label()).or_default() += 1);
}

/// Counts a theme report built for HR (`noisy` when it carried noise).
pub fn report_built(noisy: bool) {
    let kind = if noisy { "noisy" } else { "exact" };
    with(|f| *f.report_builds.entry(kind).or_default() += 1);
}

/// Records that `outbox` delivered an event written at `occurred_at`: the
/// bus accepted it and the round that marked it published has committed.
pub fn delivered(outbox: &'static str, occurred_at: DateTime<Utc>) {
    let seconds = seconds_since(occurred_at);
    with(|f| {
        f.delivery
            .entry(outbox)
            .or_default()
            .observe_in(&EVENT_BUCKETS, seconds);
    });
}

/// Records that `consumer` handled an event written at `occurred_at` (the
/// lag from a change to its effect elsewhere). A redelivery, which the
/// consumer's inbox makes a no-op, is handled — and counted — again.
pub fn consumed(consumer: &'static str, occurred_at: DateTime<Utc>) {
    let seconds = seconds_since(occurred_at);
    with(|f| {
        f.lag
            .entry(consumer)
            .or_default()
            .observe_in(&EVENT_BUCKETS, seconds);
    });
}

/// The business metrics in Prometheus text format.
pub(super) fn render(out: &mut String) {
    let Ok(f) = FIGURES.lock() else {
        return;
    };
    out.push_str("# HELP taiwa_bookings_total Bookings by outcome.\n");
    out.push_str("# TYPE taiwa_bookings_total counter\n");
    for outcome in [
        BookingOutcome::Made,
        BookingOutcome::Cancelled,
        BookingOutcome::Rescheduled,
    ] {
        let n = f.bookings.get(outcome.label()).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "taiwa_bookings_total{{outcome=\"{}\"}} {n}",
            outcome.label()
        );
    }
    out.push_str(
        "# HELP taiwa_report_builds_total Theme reports built for HR, exact or with noise.\n",
    );
    out.push_str("# TYPE taiwa_report_builds_total counter\n");
    for kind in ["exact", "noisy"] {
        let n = f.report_builds.get(kind).copied().unwrap_or(0);
        let _ = writeln!(out, "taiwa_report_builds_total{{kind=\"{kind}\"}} {n}");
    }
    out.push_str("# HELP taiwa_event_delivery_seconds From an event's change to its delivery to the bus, by outbox.\n");
    out.push_str("# TYPE taiwa_event_delivery_seconds histogram\n");
    for (outbox, h) in &f.delivery {
        h.render_in(
            &EVENT_BUCKETS,
            out,
            "taiwa_event_delivery_seconds",
            &format!("outbox=\"{outbox}\""),
        );
    }
    out.push_str("# HELP taiwa_event_lag_seconds From an event's change to a consumer handling it, by consumer (redeliveries count again).\n");
    out.push_str("# TYPE taiwa_event_lag_seconds histogram\n");
    for (consumer, h) in &f.lag {
        h.render_in(
            &EVENT_BUCKETS,
            out,
            "taiwa_event_lag_seconds",
            &format!("consumer=\"{consumer}\""),
        );
    }
}

impl Histogram {
    /// Counts `seconds` into the buckets `bounds` (ascending).
    pub(super) fn observe_in(&mut self, bounds: &[f64], seconds: f64) {
        for (i, bound) in bounds.iter().enumerate() {
            if seconds <= *bound {
                self.counts[i] += 1;
            }
        }
        self.sum += seconds;
        self.count += 1;
    }

    /// Writes the histogram as `name` with `labels` and the bounds it was
    /// counted in.
    pub(super) fn render_in(&self, bounds: &[f64], out: &mut String, name: &str, labels: &str) {
        for (i, bound) in bounds.iter().enumerate() {
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels},le=\"{bound}\"}} {}",
                self.counts[i]
            );
        }
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}
