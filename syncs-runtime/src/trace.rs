//! What the engine tells `tracing`, and how secrets stay out of it.
//!
//! Levels (set with `RUST_LOG`, e.g. `RUST_LOG=syncs_runtime=debug`):
//! - `error`: what the app must fix: a flow aborted (an action's internal
//!   failure, a loop past its budget), a panic in an action or a `where`
//!   step, an answer the server cannot send;
//! - `info`: server start and stop, the end of an overload, an action's
//!   error no sync takes up in a flow that went on to its end;
//! - `warn`: flows that end without answering their request, and requests
//!   that time out (each with its explanation), refused second responds,
//!   static check findings, the start of an overload, `respond` headers the
//!   server refuses, a shutdown that gave up waiting for connections;
//! - `debug`: one line per completed action, `Concept.action {inputs} =>
//!   {outcome}`, with its flow and the sync that invoked it;
//! - `trace`: for every sync evaluation, the frames left after `when` and after
//!   each `where` step.
//!
//! Secrets never reach a log line or an error message: input fields marked
//! `#[secret]` (of actions and queries), outcome and row fields named in
//! `#[secret(...)]` on an action or a query, and any
//! field *of any action* with the same name as one of those (so a session token
//! marked secret in `Sessioning` is also hidden in `Requesting.respond`), plus
//! fields whose names say they are secret (`password`, `token`, `secret`,
//! `authorization`, `credential`).

use std::collections::HashSet;
use std::sync::RwLock;

use serde_json::Value;

/// What a secret is replaced with in traces and error messages.
pub const REDACTED: &str = "<redacted>";

static SECRET_NAMES: RwLock<Option<HashSet<&'static str>>> = RwLock::new(None);

/// Adds field names to hide wherever they appear (done by the engine builder
/// with every registered concept's secret fields).
pub(crate) fn register_secret_names(names: impl IntoIterator<Item = &'static str>) {
    let mut guard = SECRET_NAMES
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    guard.get_or_insert_with(HashSet::new).extend(names);
}

/// Whether a field holds a secret, judged by its name.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let by_word = ["password", "token", "secret", "authorization", "credential"]
        .iter()
        .any(|word| lower.contains(word));
    by_word
        || SECRET_NAMES
            .read()
            .map(|names| names.as_ref().is_some_and(|names| names.contains(name)))
            .unwrap_or(true)
}

/// Replaces the values of secret fields in a JSON object (and the objects
/// nested in it) with [`REDACTED`].
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                if is_secret_name(name) {
                    *field = Value::String(REDACTED.to_owned());
                } else {
                    redact(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
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

    #[test]
    fn registered_names_are_redacted_in_nested_objects() {
        register_secret_names(["ssn"]);
        let mut value = serde_json::json!({"user": "u", "ssn": "123", "items": [{"ssn": "456"}]});
        redact(&mut value);
        assert_eq!(
            value,
            serde_json::json!({"user": "u", "ssn": REDACTED, "items": [{"ssn": REDACTED}]})
        );
    }
}
