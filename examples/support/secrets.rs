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

/// Hashes a password with argon2id and a fresh salt.
pub async fn hash_password(password: String) -> Result<String, ActionError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(ActionError::internal)?
    .map_err(ActionError::internal)
}

/// Whether `password` matches a stored hash (compared in constant time).
pub async fn verify_password(password: String, hash: String) -> Result<bool, ActionError> {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .map_err(ActionError::internal)?
    .map_err(ActionError::internal)
}
