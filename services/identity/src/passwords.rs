//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes,
//! 1 lane). Hashing is CPU- and memory-heavy, so it runs on the blocking pool
//! behind a semaphore: a burst of logins queues instead of starving the async
//! threads or exhausting memory.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

/// The parameters of new hashes: OWASP's for argon2id.
fn params() -> anyhow::Result<Params> {
    Params::new(19 * 1024, 2, 1, None).map_err(|e| anyhow::anyhow!("argon2 params: {e}"))
}

/// Blocks reserved for one hash's working memory: more than glibc's
/// largest dynamic mmap threshold (32 MiB on 64-bit), so the buffer is
/// always its own mapping and goes back to the system when the hash is
/// done. Argon2's own allocation (19 MiB) is below it: after the first
/// one was freed glibc raised its threshold and kept each later buffer in
/// the arena of whichever thread ran it, up to 19–38 MiB per blocking
/// thread for the life of the process (resident memory after 30 sign-ins
/// grew by some 70 MB; BENCHMARKS.md, "Start to ready and memory").
/// Only the blocks the parameters use are ever written, so only those
/// become resident.
const RESERVED_BLOCKS: usize = 33 * 1024;

/// Runs argon2 with `params` over `password` and `salt` into `out`, in
/// working memory of its own (see [`RESERVED_BLOCKS`]).
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> anyhow::Result<()> {
    let blocks = params.block_count();
    let mut memory: Vec<Block> = Vec::with_capacity(blocks.max(RESERVED_BLOCKS));
    memory.resize(blocks, Block::new());
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, out, &mut memory[..])
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for `password`,
/// with a fresh random salt.
fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let params = params()?;
    let mut salt = [0u8; argon2::RECOMMENDED_SALT_LEN];
    rand::fill(&mut salt);
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
        password.as_bytes(),
        &salt,
        &mut out,
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)
            .map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?,
        salt: Some(Salt::new(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
    };
    Ok(hash.to_string())
}

/// Whether `candidate` gives the hash in the PHC string `stored`, with the
/// algorithm, version and parameters written there (constant-time compare).
/// A string that is not an argon2 hash this code can check answers no.
fn verify_blocking(candidate: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(hash.algorithm.as_str()),
        Params::try_from(&hash),
    ) else {
        return false;
    };
    let Ok(version) = hash
        .version
        .map_or(Ok(Version::default()), Version::try_from)
    else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if compute(
        algorithm,
        version,
        params,
        candidate.as_bytes(),
        salt.as_ref(),
        &mut out,
    )
    .is_err()
    {
        return false;
    }
    Output::new(&out).is_ok_and(|computed| computed == *expected)
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
        let matched = tokio::task::spawn_blocking(move || verify_blocking(&candidate, &hash))
            .await
            .context("verifying task")?;
        Ok(known && matched)
    }
}

#[cfg(test)]
mod tests;
