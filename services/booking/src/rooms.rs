//! Meeting rooms: every booking gets its own room, never shared by two
//! clients, open only around its session.
//!
//! Two derived values, neither stored (so no table holds a secret that
//! grants entry):
//! - the **room name**, a keyed hash of the booking id (128 bits), which the
//!   room provider turns into a URL;
//! - the **join link** the two participants receive (API, email, `.ics`):
//!   Taiwa's own `/join/{booking}/{key}`, where `key` is another keyed hash of
//!   the booking id. It answers with the room only from
//!   [`OPENS_BEFORE`] before the start to [`CLOSES_AFTER`] after the end, and
//!   never for a cancelled or moved booking (a moved booking is a new booking,
//!   so it has a new room and a new link).
//!
//! The provider is a seam: the default makes rooms on a Jitsi Meet server
//! (`TAIWA_MEETING_BASE_URL`, self-hostable); nothing is called to make one.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::booking::{BookingId, BookingStatus};
use crate::store::BookingRecord;

/// How long before the start a room opens.
pub const OPENS_BEFORE: Duration = Duration::minutes(10);
/// How long after the end a room stays open.
pub const CLOSES_AFTER: Duration = Duration::minutes(30);

/// Turns a room name into the URL where the two participants meet.
pub trait RoomProvider: Send + Sync + fmt::Debug {
    /// The room called `name` (unguessable, one per booking).
    fn room_url(&self, name: &str) -> String;
}

/// Rooms on a Jitsi Meet server: `{base}/{name}`.
#[derive(Clone, Debug)]
pub struct JitsiMeet {
    base: String,
}

impl JitsiMeet {
    /// Rooms under `base` (e.g. `https://meet.jit.si` or a self-hosted server).
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_owned(),
        }
    }
}

impl RoomProvider for JitsiMeet {
    fn room_url(&self, name: &str) -> String {
        format!("{}/{name}", self.base)
    }
}

/// Whether a booking's room can be entered now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Door {
    /// Open: the room's URL.
    Open(String),
    /// Not yet: it opens then.
    NotYet(DateTime<Utc>),
    /// Over, cancelled or moved.
    Closed,
}

/// Makes and checks rooms and join links.
#[derive(Clone)]
pub struct Rooms {
    provider: Arc<dyn RoomProvider>,
    key: [u8; 32],
    public_url: String,
}

impl fmt::Debug for Rooms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rooms")
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

impl Rooms {
    /// Rooms from `provider`, with links under `public_url`, keyed by `key`
    /// (derived from the master key, so every replica agrees).
    pub fn new(provider: Arc<dyn RoomProvider>, key: [u8; 32], public_url: &str) -> Self {
        Self {
            provider,
            key,
            public_url: public_url.trim_end_matches('/').to_owned(),
        }
    }

    #[expect(clippy::expect_used, reason = "HMAC-SHA256 takes a key of any length")]
    fn mac(&self, purpose: &str, booking: BookingId) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(b"/");
        mac.update(booking.to_string().as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The link the participants of `booking` receive.
    pub fn join_url(&self, booking: BookingId) -> String {
        format!(
            "{}/join/{booking}/{}",
            self.public_url,
            hex(&self.mac("join", booking)[..16])
        )
    }

    /// Whether `key` is the join key of `booking` (in constant time).
    pub fn key_matches(&self, booking: BookingId, key: &str) -> bool {
        let expected = hex(&self.mac("join", booking)[..16]);
        expected.len() == key.len()
            && expected
                .bytes()
                .zip(key.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// The room of `booking` (a URL of the provider).
    fn room_url(&self, booking: BookingId) -> String {
        let name = format!("taiwa-{}", hex(&self.mac("room", booking)[..16]));
        self.provider.room_url(&name)
    }

    /// The join link to show for a booking: only while it is confirmed.
    pub fn link_for(&self, b: &BookingRecord) -> Option<String> {
        (b.status == BookingStatus::Confirmed).then(|| self.join_url(b.id))
    }

    /// Whether the room of `b` can be entered at `now`.
    pub fn door(&self, b: &BookingRecord, now: DateTime<Utc>) -> Door {
        let open = matches!(
            b.status,
            BookingStatus::Confirmed | BookingStatus::Completed
        );
        if !open || now > b.ends_at + CLOSES_AFTER {
            Door::Closed
        } else if now < b.starts_at - OPENS_BEFORE {
            Door::NotYet(b.starts_at - OPENS_BEFORE)
        } else {
            Door::Open(self.room_url(b.id))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests;
