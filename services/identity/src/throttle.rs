//! Guessing protection for passwords (OWASP ASVS 2.2.1): soft limits with
//! growing delays, never an hour-long lockout that a stranger can cause.
//!
//! Counts of failed attempts over the last hour, kept as keyed digests
//! (HMAC-SHA-256 under a key derived from the master key, [`ThrottleKey`])
//! in `identity_login_failures`: never an address or an email in clear, and
//! a copy of the database alone cannot tell which networks someone signed
//! in from (an unkeyed hash of an address and an email is undone by trying
//! every IPv4 address). An address is its IPv4 address or its IPv6 /64 (one
//! subscriber's network):
//! - **this account from this address**: the first [`PAIR_FREE`] failures are
//!   free; after that each attempt must wait 2ⁿ seconds after the latest
//!   failure (n = failures beyond the free ones), up to 15 minutes. A guesser
//!   at one address is slowed to a crawl; nobody else is affected.
//! - **this account from anywhere**: after [`ACCOUNT_FREE`] failures, 2ⁿ
//!   seconds after the latest, up to a minute — except from an address that
//!   signed in to the account in the last 30 days, so a guesser spread over
//!   many addresses cannot keep the owner out from their usual places (the
//!   old rule locked everyone out for an hour).
//! - **this address, any account** (credential stuffing): after
//!   [`ADDRESS_SLOW`] failures the address is slowed, not blocked — its
//!   attempts are checked one at a time with a pause of a second, and a
//!   correct password still signs in, so everyone behind one NAT can.
//!
//! Attempts on one account are checked one at a time (so parallel guesses
//! see each other's failures), and a slowed address takes turns; both
//! orderings are kept in this process, so each replica applies them on its
//! own (the counts themselves are shared through the database). Waiting for
//! a turn is bounded: past a few seconds the attempt is answered 429.
//! No database connection is held while waiting.
//!
//! The same protection covers every password check (sign-in, setting up or
//! removing a second factor, erasing the account).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use shared::db::Db;
use shared::error::ApiError;
use shared::time;
use sqlx::AnyConnection;

use crate::store::UserRecord;
use crate::{IdentityState, secrets, store};

/// Failures of one account from one address before delays start.
pub const PAIR_FREE: i64 = 5;
/// Failures of one account from all addresses before delays start.
pub const ACCOUNT_FREE: i64 = 20;
/// Failures from one address, over all accounts, before it is slowed.
pub const ADDRESS_SLOW: i64 = 300;
const PAIR_CAP_SECONDS: i64 = 15 * 60;
const ACCOUNT_CAP_SECONDS: i64 = 60;
const ADDRESS_PAUSE: Duration = Duration::from_secs(1);
/// The longest an attempt waits for its turn before it is answered 429.
const TURN_WAIT: Duration = Duration::from_secs(5);
const HOUR_MS: i64 = 3600 * 1000;
const KNOWN_FOR_MS: i64 = 30 * 24 * HOUR_MS;

/// One attempt to prove a password: the account and where it comes from.
pub struct Attempt {
    pair: Option<String>,
    known: Option<String>,
    account: String,
    address: Option<String>,
}

/// An attempt that must wait: 429 `rate_limited` with `Retry-After`.
#[derive(Debug)]
pub struct MustWait {
    seconds: i64,
}

impl MustWait {
    /// The error body, for callers that answer with [`ApiError`].
    pub fn error(&self) -> ApiError {
        ApiError::too_many_requests(format!(
            "too many failed attempts; try again in {} seconds",
            self.seconds
        ))
        .with_details(serde_json::json!({ "retry_after_seconds": self.seconds }))
    }
}

impl IntoResponse for MustWait {
    fn into_response(self) -> Response {
        let mut response = self.error().into_response();
        if let Ok(value) = HeaderValue::from_str(&self.seconds.to_string()) {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}

/// The network an address stands for: an IPv4 address, or an IPv6 /64
/// (one subscriber gets a whole /64; counting single IPv6 addresses would let
/// a guesser rotate through it).
pub fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

/// The key the throttle's digests are made with, derived from the master
/// key (so they can be recomputed only with it).
#[derive(Clone)]
pub struct ThrottleKey([u8; 32]);

impl ThrottleKey {
    /// The throttle's key for `master`.
    pub fn from_master(master: &secrecy::SecretString) -> Self {
        Self(shared::sealed::derive_key(
            master,
            "identity sign-in throttle",
        ))
    }

    /// HMAC-SHA-256 of `text`, in hex.
    fn digest(&self, text: &str) -> String {
        use hmac::{Hmac, Mac};
        let Ok(mut mac) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0) else {
            // HMAC takes a key of any length; unreachable.
            return secrets::digest(text);
        };
        mac.update(text.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl std::fmt::Debug for ThrottleKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ThrottleKey(…)")
    }
}

/// The key of an account's failures from anywhere.
pub fn account_key(key: &ThrottleKey, account: &str) -> String {
    key.digest(&format!("account:{account}"))
}

/// The key of failures from one address over all accounts.
pub fn address_key(key: &ThrottleKey, address: IpAddr) -> String {
    key.digest(&format!("address:{}", network_of(address)))
}

/// The key of one account's failures from one address.
pub fn pair_key(key: &ThrottleKey, address: IpAddr, account: &str) -> String {
    key.digest(&format!("pair:{}:{account}", network_of(address)))
}

/// The key marking that an address signed in to an account.
fn known_key(key: &ThrottleKey, address: IpAddr, account: &str) -> String {
    key.digest(&format!("known:{}:{account}", network_of(address)))
}

/// The wait, in seconds, after `failures` with `free` of them free.
fn growing_wait(failures: i64, free: i64, cap: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = u32::try_from((failures - free).min(30)).unwrap_or(30);
    (1_i64 << doublings).min(cap)
}

type Turns = LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>;

/// Attempts in progress per account, and slowed addresses' turns.
static ACCOUNTS: Turns = LazyLock::new(Mutex::default);
static ADDRESSES: Turns = LazyLock::new(Mutex::default);

/// Waits (bounded) for the turn of `key` in `turns`.
async fn turn_of(turns: &'static Turns, key: &str) -> Option<tokio::sync::OwnedMutexGuard<()>> {
    let lock = {
        let mut map = turns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, l| Arc::strong_count(l) > 1);
        Arc::clone(map.entry(key.to_owned()).or_default())
    };
    tokio::time::timeout(TURN_WAIT, lock.lock_owned())
        .await
        .ok()
}

/// This attempt's turn: held until its password has been checked.
pub struct Turn {
    _account: tokio::sync::OwnedMutexGuard<()>,
    _address: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Attempt {
    /// An attempt on `account` (a normalised email) from `address`.
    pub fn new(key: &ThrottleKey, account: &str, address: Option<IpAddr>) -> Self {
        Self {
            pair: address.map(|a| pair_key(key, a, account)),
            known: address.map(|a| known_key(key, a, account)),
            account: account_key(key, account),
            address: address.map(|a| address_key(key, a)),
        }
    }

    /// Before the password is checked: this attempt's turn, or how long it
    /// must wait. A slowed address waits for its turn and a pause first.
    pub async fn begin(&self, db: &Db) -> Result<Result<Turn, MustWait>, ApiError> {
        let busy = MustWait { seconds: 1 };
        let Some(account_turn) = turn_of(&ACCOUNTS, &self.account).await else {
            return Ok(Err(busy));
        };
        let now = time::to_db(time::now());
        let since = now - HOUR_MS;
        let mut conn = db.pool().acquire().await?;
        let mut wait_until = now;
        if let Some(pair) = &self.pair {
            let pair = store::login_failures(&mut conn, pair, since).await?;
            let wait = growing_wait(pair.count, PAIR_FREE, PAIR_CAP_SECONDS);
            wait_until = wait_until.max(pair.latest.unwrap_or(now) + wait * 1000);
        }
        let known = match &self.known {
            Some(key) => {
                store::login_failures(&mut conn, key, now - KNOWN_FOR_MS)
                    .await?
                    .count
                    > 0
            }
            None => false,
        };
        if !known {
            let account = store::login_failures(&mut conn, &self.account, since).await?;
            let wait = growing_wait(account.count, ACCOUNT_FREE, ACCOUNT_CAP_SECONDS);
            wait_until = wait_until.max(account.latest.unwrap_or(now) + wait * 1000);
        }
        let slowed = match &self.address {
            Some(key) => store::login_failures(&mut conn, key, since).await?.count >= ADDRESS_SLOW,
            None => false,
        };
        drop(conn);
        if wait_until > now {
            return Ok(Err(MustWait {
                seconds: ((wait_until - now) + 999) / 1000,
            }));
        }
        let address_turn = match (&self.address, slowed) {
            (Some(key), true) => {
                let Some(turn) = turn_of(&ADDRESSES, key).await else {
                    return Ok(Err(busy));
                };
                tokio::time::sleep(ADDRESS_PAUSE).await;
                Some(turn)
            }
            _ => None,
        };
        Ok(Ok(Turn {
            _account: account_turn,
            _address: address_turn,
        }))
    }

    /// After a wrong password: counts it under every key.
    pub async fn failed(&self, conn: &mut AnyConnection) -> Result<(), ApiError> {
        let now = time::to_db(time::now());
        for key in self
            .pair
            .iter()
            .chain([&self.account])
            .chain(self.address.iter())
        {
            store::record_login_failure(conn, key, now, now - HOUR_MS).await?;
        }
        Ok(())
    }

    /// After a whole sign-in: this address is now one the account uses.
    /// Records older than 30 days, of anyone, are deleted on the way.
    pub async fn succeeded(&self, conn: &mut AnyConnection) -> Result<(), ApiError> {
        let now = time::to_db(time::now());
        if let Some(key) = &self.known {
            store::record_login_failure(conn, key, now, now - KNOWN_FOR_MS).await?;
        }
        store::forget_login_records_before(conn, now - KNOWN_FOR_MS).await?;
        Ok(())
    }
}

/// The client address a request came from (resolved behind trusted
/// proxies), from its extensions.
pub fn client_address(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|axum::extract::ConnectInfo(peer)| peer.ip())
}

/// Checks a signed-in person's password before a sensitive change (second
/// factor, erasure), under the same protection as signing in: 429 while
/// they must wait, 422 `wrong_password` (counted) when it is wrong.
pub async fn confirm_password(
    state: &IdentityState,
    user: &UserRecord,
    password: &str,
    address: Option<IpAddr>,
) -> Result<(), ApiError> {
    let attempt = Attempt::new(&state.throttle, &user.email, address);
    let _turn = attempt
        .begin(&state.db)
        .await?
        .map_err(|wait| wait.error())?;
    if state
        .hasher
        .verify(password, user.password_hash.as_deref())
        .await?
    {
        return Ok(());
    }
    let mut conn = state.db.pool().acquire().await?;
    attempt.failed(&mut conn).await?;
    Err(ApiError::unprocessable(
        "wrong_password",
        "the password is not correct",
    ))
}

#[cfg(test)]
mod tests;
