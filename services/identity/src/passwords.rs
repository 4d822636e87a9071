//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes,
//! 1 lane). Hashing is CPU- and memory-heavy, so it runs on the blocking pool
//! behind a semaphore: a burst of logins queues instead of starving the async
//! threads or exhausting memory.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use super::domain::Password;

/// Hashes and verifies passwords.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// A real hash of a random password, verified when the email is unknown so
    /// that unknown accounts answer in the same time as wrong passwords.
    dummy_hash: Arc<str>,
}

fn argon() -> anyhow::Result<Argon2<'static>> {
    let params =
        Params::new(19 * 1024, 2, 1, None).map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let hash = argon()?
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    Ok(hash.to_string())
}

impl PasswordHasher {
    /// At most `concurrency` hashes run at once.
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        let mut random = [0u8; 24];
        rand::fill(&mut random);
        let dummy = hash_blocking(&format!("{random:?}"))?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: dummy.into(),
        })
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &Password) -> anyhow::Result<String> {
        self.hash_text(password.expose()).await
    }

    /// Hashes the published demo password, which is shorter than the policy
    /// allows (in builds with demo data only; never in production).
    #[cfg(feature = "demo")]
    pub async fn hash_demo_password(&self, password: &str) -> anyhow::Result<String> {
        self.hash_text(password).await
    }

    async fn hash_text(&self, password: &str) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let owned = password.to_owned();
        tokio::task::spawn_blocking(move || hash_blocking(&owned))
            .await
            .context("hashing task")?
    }

    /// Whether `candidate` matches `stored`. With no stored hash (unknown
    /// account, or one that cannot log in) it does the same work and says no.
    pub async fn verify(&self, candidate: &str, stored: Option<&str>) -> anyhow::Result<bool> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let known = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let candidate = candidate.to_owned();
        let matched = tokio::task::spawn_blocking(move || {
            argon().map(|a| {
                a.verify_password(candidate.as_bytes(), hash.as_str())
                    .is_ok()
            })
        })
        .await
        .context("verifying task")??;
        Ok(known && matched)
    }
}

#[cfg(test)]
mod tests;
