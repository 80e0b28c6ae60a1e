//! What the engine tells `tracing`, and how secrets stay out of it.

/// What a secret is replaced with in traces and error messages.
pub const REDACTED: &str = "<redacted>";

/// Whether an open field (of `Requesting`) holds a secret, judged by its name:
/// passwords, tokens, secrets and credentials are never shown in traces.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["password", "token", "secret", "authorization", "credential"]
        .iter()
        .any(|word| lower.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_recognised_whatever_their_case() {
        assert!(is_secret_name("password"));
        assert!(is_secret_name("newPassword"));
        assert!(is_secret_name("Authorization"));
        assert!(is_secret_name("session_token"));
        assert!(!is_secret_name("username"));
        assert!(!is_secret_name("path"));
    }
}
