//! Guessing protection for passwords (OWASP ASVS 2.2.1): soft limits with
//! growing delays, never an hour-long lockout that a stranger can cause.
//!
//! Three counts of failed attempts over the last hour, kept as digests in
//! `identity_login_failures` (never an address or an email in clear):
//! - **this account from this address**: the first [`PAIR_FREE`] failures are
//!   free; after that each attempt must wait 2ⁿ seconds after the latest
//!   failure (n = failures beyond the free ones), up to 15 minutes. A guesser
//!   at one address is slowed to a crawl; nobody else is affected.
//! - **this account from anywhere**: after [`ACCOUNT_FREE`] failures, 2ⁿ
//!   seconds after the latest, but never more than a minute: a guesser
//!   spread over many addresses is slowed, and the account's owner waits a
//!   minute at worst (the old rule let anyone lock an account for an hour).
//! - **this address, any account** (credential stuffing): after
//!   [`ADDRESS_SLOW`] failures the address is slowed, not blocked — its
//!   attempts are checked one at a time with a pause of a second, and a
//!   correct password still signs in, so everyone behind one NAT can.
//!
//! The same protection covers every password check (sign-in, setting up or
//! removing a second factor, erasing the account).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::error::ApiError;
use shared::time;
use sqlx::AnyConnection;

use crate::identity::store::UserRecord;
use crate::identity::{IdentityState, secrets, store};

/// Failures of one account from one address before delays start.
pub const PAIR_FREE: i64 = 5;
/// Failures of one account from all addresses before delays start.
pub const ACCOUNT_FREE: i64 = 20;
/// Failures from one address, over all accounts, before it is slowed.
pub const ADDRESS_SLOW: i64 = 300;
const PAIR_CAP_SECONDS: i64 = 15 * 60;
const ACCOUNT_CAP_SECONDS: i64 = 60;
const ADDRESS_PAUSE: Duration = Duration::from_secs(1);
const HOUR_MS: i64 = 3600 * 1000;

/// One attempt to prove a password: the account and where it comes from.
pub struct Attempt {
    pair: Option<String>,
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
        debug_assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        response
    }
}

/// The key of an account's failures from anywhere (also what earlier
/// versions stored, so their counts carry over).
pub fn account_key(account: &str) -> String {
    secrets::digest(account)
}

/// The key of failures from one address over all accounts.
pub fn address_key(address: IpAddr) -> String {
    secrets::digest(&format!("address:{address}"))
}

/// The key of one account's failures from one address.
pub fn pair_key(address: IpAddr, account: &str) -> String {
    secrets::digest(&format!("pair:{address}:{account}"))
}

/// The wait, in seconds, after `failures` with `free` of them free.
fn growing_wait(failures: i64, free: i64, cap: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = u32::try_from((failures - free).min(30)).unwrap_or(30);
    (1_i64 << doublings).min(cap)
}

/// Addresses being slowed: each checks one attempt at a time.
static SLOWED: LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> =
    LazyLock::new(Mutex::default);

/// The turn of a slowed address (held while its attempt is checked).
pub struct Turn {
    _held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Attempt {
    /// An attempt on `account` (a normalised email) from `address`.
    pub fn new(account: &str, address: Option<IpAddr>) -> Self {
        Self {
            pair: address.map(|a| pair_key(a, account)),
            account: account_key(account),
            address: address.map(address_key),
        }
    }

    /// Before the password is checked: whether this attempt must wait, and
    /// otherwise the turn to take it (a slowed address waits for its turn
    /// and a pause first).
    pub async fn may_try(
        &self,
        conn: &mut AnyConnection,
    ) -> Result<Result<Turn, MustWait>, ApiError> {
        let now = time::to_db(time::now());
        let since = now - HOUR_MS;
        let mut wait_until = now;
        if let Some(pair) = &self.pair {
            let pair = store::login_failures(conn, pair, since).await?;
            let wait = growing_wait(pair.count, PAIR_FREE, PAIR_CAP_SECONDS);
            wait_until = wait_until.max(pair.latest.unwrap_or(now) + wait * 1000);
        }
        let account = store::login_failures(conn, &self.account, since).await?;
        let wait = growing_wait(account.count, ACCOUNT_FREE, ACCOUNT_CAP_SECONDS);
        wait_until = wait_until.max(account.latest.unwrap_or(now) + wait * 1000);
        if wait_until > now {
            return Ok(Err(MustWait {
                seconds: ((wait_until - now) + 999) / 1000,
            }));
        }
        let Some(address) = &self.address else {
            return Ok(Ok(Turn { _held: None }));
        };
        if store::login_failures(conn, address, since).await?.count < ADDRESS_SLOW {
            return Ok(Ok(Turn { _held: None }));
        }
        let lock = {
            let mut slowed = SLOWED
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            slowed.retain(|_, l| Arc::strong_count(l) > 1);
            Arc::clone(slowed.entry(address.clone()).or_default())
        };
        let guard = lock.lock_owned().await;
        tokio::time::sleep(ADDRESS_PAUSE).await;
        Ok(Ok(Turn { _held: Some(guard) }))
    }

    /// After a wrong password: counts it under all three keys.
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
    let attempt = Attempt::new(&user.email, address);
    let mut conn = state.db.pool().acquire().await?;
    let _turn = attempt
        .may_try(&mut conn)
        .await?
        .map_err(|wait| wait.error())?;
    if state
        .hasher
        .verify(password, user.password_hash.as_deref())
        .await?
    {
        return Ok(());
    }
    attempt.failed(&mut conn).await?;
    Err(ApiError::unprocessable(
        "wrong_password",
        "the password is not correct",
    ))
}

#[cfg(test)]
mod tests {
    use super::growing_wait;

    #[test]
    fn waits_grow_and_stop_at_their_cap() {
        assert_eq!(growing_wait(4, 5, 900), 0);
        assert_eq!(growing_wait(5, 5, 900), 1);
        assert_eq!(growing_wait(6, 5, 900), 2);
        assert_eq!(growing_wait(14, 5, 900), 512);
        assert_eq!(growing_wait(15, 5, 900), 900);
        assert_eq!(growing_wait(10_000, 20, 60), 60);
    }
}
