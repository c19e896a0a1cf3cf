//! Argon2id password hashing, run on the blocking pool behind a semaphore that leaves one
//! core free, in a bounded queue, so that a flood of logins can neither starve every other
//! page nor make a login wait long.
//! Each running hash reuses one of a few preallocated 19 MiB work areas: allocating them per
//! hash leaves every thread's allocator holding its own copy, and memory grows with threads.

use std::sync::{Arc, Mutex};

use argon2::password_hash::{
    Output, ParamsString, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rocket::tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why a password was not hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes running or waiting: try again in a moment.
    #[error("too busy hashing passwords")]
    Busy,
    #[error("internal error: {0}")]
    Failed(String),
}

/// OWASP's minimum for Argon2id: 19 MiB, two passes, one lane.
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters")
}

fn argon2_with(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn argon2() -> Argon2<'static> {
    argon2_with(params())
}

/// For the command line: allocates its own work area.
pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(format!("hashing failed: {e}")))
}

pub fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

type Memory = Vec<Block>;

fn new_memory(params: &Params) -> Memory {
    vec![Block::default(); params.block_count()]
}

/// Hashes into `memory` and writes the PHC string, as `hash_blocking` would.
fn hash_in(memory: &mut Memory, password: &str) -> Result<String, HashError> {
    let failed = |e: &dyn std::fmt::Display| HashError::Failed(format!("hashing failed: {e}"));
    let params = params();
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| failed(&e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_with(params.clone())
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt_bytes,
            &mut out,
            memory.as_mut_slice(),
        )
        .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Checks `password` against a stored PHC string, hashing into `memory` when the stored
/// parameters fit it.
fn verify_in(memory: &mut Memory, password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return verify_blocking(password, hash);
    }
    let mut own;
    let area = if params.block_count() == memory.len() {
        memory
    } else {
        own = new_memory(&params);
        &mut own
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or(Version::V0x13);
    Argon2::new(Algorithm::Argon2id, version, params)
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt_bytes,
            &mut out,
            area.as_mut_slice(),
        )
        .is_ok_and(|()| Output::new(&out).is_ok_and(|o| o == expected))
}

/// Hashes password by password: at most `permits` run at once (one core stays free for
/// everything else), and at most `queue` are admitted, running or waiting. Past that bound a
/// request is refused at once (`HashError::Busy`, 503 with `Retry-After`) instead of waiting
/// behind a flood: a login then waits a fraction of a second at worst, never minutes.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    queue: Arc<Semaphore>,
    /// Work areas not in use; at most one per permit is ever made.
    memory: Arc<Mutex<Vec<Memory>>>,
    /// Verified when an address has no account, so that both cases cost one hash.
    dummy_hash: Arc<String>,
}

/// A place in the hash queue, taken before any other work so that a refusal costs nothing.
pub struct Admitted {
    hasher: Hasher,
    _place: OwnedSemaphorePermit,
}

impl Hasher {
    /// `queue`: how many hashes may run or wait at once (at least one).
    pub fn new(queue: usize) -> Result<Hasher, HashError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let permits = cores.saturating_sub(1).max(1);
        Ok(Hasher {
            permits: Arc::new(Semaphore::new(permits)),
            queue: Arc::new(Semaphore::new(queue.max(1))),
            memory: Arc::new(Mutex::new(Vec::new())),
            dummy_hash: Arc::new(hash_blocking("no account has this password")?),
        })
    }

    /// A place in the queue, or `Busy` at once when it is full.
    pub fn admit(&self) -> Result<Admitted, HashError> {
        let place = self.queue.clone().try_acquire_owned().map_err(|_| {
            crate::ops::metrics::METRICS.hash_refused.inc();
            HashError::Busy
        })?;
        Ok(Admitted {
            hasher: self.clone(),
            _place: place,
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.admit()?.hash(password).await
    }

    /// How many hashes are admitted (running or waiting), given the queue's bound.
    pub fn admitted(&self, bound: usize) -> usize {
        bound.saturating_sub(self.queue.available_permits())
    }

    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Memory) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let pool = self.memory.clone();
        rocket::tokio::task::spawn_blocking(move || {
            let taken = pool.lock().ok().and_then(|mut free| free.pop());
            let mut memory = taken.unwrap_or_else(|| new_memory(&params()));
            let result = f(&mut memory);
            if let Ok(mut free) = pool.lock() {
                free.push(memory);
            }
            result
        })
        .await
        .map_err(|e| HashError::Failed(format!("hashing task failed: {e}")))
    }
}

impl Admitted {
    pub async fn hash(self, password: String) -> Result<String, HashError> {
        self.hasher
            .run(move |memory| hash_in(memory, &password))
            .await?
    }

    /// Checks `password` against `hash`, or against a dummy hash with the same parameters
    /// when there is no account: both cases cost one hash.
    pub async fn verify(self, password: String, hash: Option<String>) -> Result<bool, HashError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.hasher.dummy_hash.as_str().to_owned());
        let ok = self
            .hasher
            .run(move |memory| verify_in(memory, &password, &hash))
            .await?;
        Ok(ok && known)
    }

    /// Hashes every one of `secrets` (recovery codes) in one turn of the pool.
    pub async fn hash_all(self, secrets: Vec<String>) -> Result<Vec<String>, HashError> {
        self.hasher
            .run(move |memory| secrets.iter().map(|s| hash_in(memory, s)).collect())
            .await?
    }

    /// The position of the first of `hashes` that `secret` matches.
    pub async fn find(
        self,
        secret: String,
        hashes: Vec<String>,
    ) -> Result<Option<usize>, HashError> {
        self.hasher
            .run(move |memory| hashes.iter().position(|h| verify_in(memory, &secret, h)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_minimum_cost_and_verify() {
        let hash = hash_blocking("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_blocking("correct horse battery", &hash));
        assert!(!verify_blocking("correct horse batterie", &hash));
        assert!(!verify_blocking("anything", "not a hash"));
    }

    #[test]
    fn the_reused_work_area_gives_the_same_hashes() {
        let mut memory = new_memory(&params());
        let made_here = hash_in(&mut memory, "correct horse battery").unwrap();
        assert!(
            made_here.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{made_here}"
        );
        assert!(
            verify_blocking("correct horse battery", &made_here),
            "the standard verifier accepts it"
        );
        let made_there = hash_blocking("correct horse battery").unwrap();
        assert!(verify_in(&mut memory, "correct horse battery", &made_there));
        assert!(!verify_in(
            &mut memory,
            "correct horse batterie",
            &made_there
        ));
        assert!(!verify_in(&mut memory, "x", "not a hash"));
        // A hash with other parameters still verifies, in a work area of its own.
        let cheaper = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        )
        .hash_password(
            b"correct horse battery",
            &SaltString::generate(&mut rand::rngs::OsRng),
        )
        .unwrap()
        .to_string();
        assert!(verify_in(&mut memory, "correct horse battery", &cheaper));
    }
}
