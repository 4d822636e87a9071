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
/// largest dynamic mmap threshold (32 MiB on 64-bit), so glibc's malloc
/// maps the buffer on its own (unless an arena happens to have that much
/// free already) and unmaps it when the hash is done, without raising its
/// threshold. Argon2's own allocation (19 MiB) is below it: after the
/// first one was freed glibc raised its threshold and kept each later
/// buffer in the arena of whichever thread ran it, up to 19–38 MiB per
/// blocking thread for the life of the process (resident memory after 30
/// sign-ins grew by some 70 MB; BENCHMARKS.md, "Start to ready and
/// memory"). Only the blocks the parameters use are ever written, so only
/// those become resident.
const RESERVED_BLOCKS: usize = 33 * 1024;
const _: () = assert!(RESERVED_BLOCKS * Block::SIZE > 32 << 20);

/// The most memory (KiB) and passes a stored hash may ask for: ours ask
/// for 19 MiB and 2; more than this is a damaged row, refused before any
/// memory is taken.
const MOST_STORED_KIB: u32 = 256 * 1024;
const MOST_STORED_PASSES: u32 = 16;

/// Runs argon2 with `params` over `password` and `salt` into `out`, in
/// working memory of its own (see [`RESERVED_BLOCKS`]). Memory that cannot
/// be had is an error, not an abort (a stored hash names its own cost).
fn argon2_in_own_memory(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> anyhow::Result<()> {
    let blocks = params.block_count();
    let mut memory: Vec<Block> = Vec::new();
    memory
        .try_reserve_exact(blocks.max(RESERVED_BLOCKS))
        .context("argon2's working memory")?;
    memory.resize(blocks, Block::new());
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, out, &mut memory[..])
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for `password`,
/// with a fresh random salt from the system's generator.
fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = argon2::password_hash::try_generate_salt()
        .map_err(|e| anyhow::anyhow!("a salt from the system's generator: {e}"))?;
    hash_with_salt(password, &salt)
}

/// The PHC string of `password` with `salt` at [`params`], written as
/// argon2's own `PasswordHasher` writes it.
fn hash_with_salt(password: &str, salt: &[u8]) -> anyhow::Result<String> {
    let params = params()?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_in_own_memory(
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
        password.as_bytes(),
        salt,
        &mut out,
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)
            .map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?,
        salt: Some(Salt::new(salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("output: {e}"))?),
    };
    Ok(hash.to_string())
}

/// Whether `candidate` gives the hash in the PHC string `stored`, with the
/// algorithm, version and parameters written there (constant-time compare).
/// A string that is not an argon2 hash this code can check answers no, and
/// says so in the log (without the string): a damaged row, not a wrong
/// password.
fn verify_blocking(candidate: &str, stored: &str) -> bool {
    let unusable = || {
        tracing::warn!("a stored password hash cannot be checked; the sign-in is refused");
        false
    };
    let Ok(hash) = PasswordHash::new(stored) else {
        return unusable();
    };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return unusable();
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(hash.algorithm.as_str()),
        Params::try_from(&hash),
    ) else {
        return unusable();
    };
    let Ok(version) = hash
        .version
        .map_or(Ok(Version::default()), Version::try_from)
    else {
        return unusable();
    };
    if params.m_cost() > MOST_STORED_KIB || params.t_cost() > MOST_STORED_PASSES {
        return unusable();
    }
    let mut out = vec![0u8; expected.len()];
    if argon2_in_own_memory(
        algorithm,
        version,
        params,
        candidate.as_bytes(),
        salt.as_ref(),
        &mut out,
    )
    .is_err()
    {
        return unusable();
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
        let owned = password.to_owned();
        self.run(move || hash_blocking(&owned)).await?
    }

    /// Whether `candidate` matches `stored`. With no stored hash (unknown
    /// account, or one that cannot log in) it does the same work and says no.
    pub async fn verify(&self, candidate: &str, stored: Option<&str>) -> anyhow::Result<bool> {
        let known = stored.is_some();
        let hash = stored.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let candidate = candidate.to_owned();
        let matched = self.run(move || verify_blocking(&candidate, &hash)).await?;
        Ok(known && matched)
    }

    /// Runs `work` on the blocking pool once a permit is free. The permit
    /// goes with the work: a request given up on (a timeout, a client
    /// gone) does not free it while its hash still runs.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .context("hasher closed")?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .context("hashing task")
    }
}

#[cfg(test)]
mod tests;
