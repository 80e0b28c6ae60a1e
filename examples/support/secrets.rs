//! Secrets for the example apps: password hashing (argon2id, per-user salt,
//! constant-time verification, off the async threads), random identifiers
//! from the operating system's generator, and token digests.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use syncs_runtime::ActionError;

/// `bytes` random bytes from the OS generator, hex-encoded.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buffer);
    hex(&buffer)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The SHA-256 digest of a token, hex-encoded: what is stored instead of it.
pub fn digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// How many argon2 computations run at once: one per core. Each takes
/// about 19 MiB and a core for tens of milliseconds; unbounded, a burst of
/// logins would spawn hundreds of them (tokio's blocking pool allows 512)
/// and take gigabytes, still running after their requests gave up.
static HASHING: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(hashing_slots()));

fn hashing_slots() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Takes every hashing permit, so that hashing waits until the guard is
/// dropped (for tests of what a long hashing queue does).
#[cfg(test)]
#[allow(dead_code)] // Only tests/realworld.rs holds the queue.
pub async fn hold_hashing() -> tokio::sync::SemaphorePermit<'static> {
    let all = u32::try_from(hashing_slots()).unwrap_or(u32::MAX);
    HASHING
        .acquire_many(all)
        .await
        .expect("the semaphore is never closed")
}

/// Runs `work` on the blocking pool once `limit` has a permit free. A
/// caller that stops waiting (its request cut at its deadline) gives up its
/// place in the queue; work that started runs to its end.
async fn bounded<T: Send + 'static>(
    limit: &'static tokio::sync::Semaphore,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ActionError> {
    let permit = limit.acquire().await.map_err(ActionError::internal)?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(ActionError::internal)
}

/// Hashes a password with argon2id and a fresh salt.
pub async fn hash_password(password: String) -> Result<String, ActionError> {
    bounded(&HASHING, move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await?
    .map_err(ActionError::internal)
}

/// Verifies `password` against a hash no password matches, as long as a
/// real verification takes: for a login with no account behind it.
pub async fn verify_against_nothing(password: String) -> Result<(), ActionError> {
    static NOTHING: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let hash = NOTHING.get_or_try_init(|| hash_password(random_hex(32))).await?;
    verify_password(password, hash.clone()).await.map(|_| ())
}

/// Whether `password` matches a stored hash (compared in constant time).
pub async fn verify_password(password: String, hash: String) -> Result<bool, ActionError> {
    bounded(&HASHING, move || {
        PasswordHash::new(&hash).map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await?
    .map_err(ActionError::internal)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test]
    async fn no_more_hashes_run_at_once_than_the_limit_allows() {
        static LIMIT: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (running, peak) = (running.clone(), peak.clone());
                tokio::spawn(super::bounded(&LIMIT, move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    // Long enough for every task to be waiting meanwhile.
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.expect("joined").expect("ran");
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2, "two at a time, and no more");
    }
}
