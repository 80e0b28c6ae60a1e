//! Helpers the RealWorld syncs call in their `where` steps: reading the
//! nested request bodies (`{"user": {...}}`) and shaping the responses.

use serde_json::{json, Value};

/// The string field `field` of a JSON object, if there is one.
pub fn text(body: &Value, field: &str) -> Option<String> {
    body.get(field).and_then(Value::as_str).map(str::to_owned)
}

/// `{"field": ["can't be blank"]}` for each of `fields` missing or empty in
/// `body`; `null` if none is.
pub fn blank(body: Option<&Value>, fields: &[&str]) -> Value {
    let missing: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|field| {
            body.and_then(|body| body.get(**field))
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        })
        .map(|field| ((*field).to_owned(), json!(["can't be blank"])))
        .collect();
    if missing.is_empty() {
        Value::Null
    } else {
        Value::Object(missing)
    }
}

/// The errors of a failed login.
pub fn invalid_login() -> Value {
    json!({ "email or password": ["is invalid"] })
}

/// The errors of a missing or unknown token.
pub fn unauthorized() -> Value {
    json!({ "body": ["missing or invalid token"] })
}

/// The token in an `Authorization: Token <token>` header's value.
pub fn token_of(authorization: &str) -> String {
    authorization
        .strip_prefix("Token ")
        .unwrap_or(authorization)
        .trim()
        .to_owned()
}

/// The `user` object of the API.
pub fn user_json(
    username: &str,
    email: &str,
    bio: &Option<String>,
    image: &Option<String>,
    token: &str,
) -> Value {
    json!({
        "username": username,
        "email": email,
        "bio": bio,
        "image": image,
        "token": token,
    })
}

/// The `profile` object of the API.
pub fn profile_json(username: &str, bio: &Option<String>, image: &Option<String>, following: bool) -> Value {
    json!({
        "username": username,
        "bio": bio,
        "image": image,
        "following": following,
    })
}

/// The errors of an unknown profile.
pub fn no_such_profile() -> Value {
    json!({ "profile": ["not found"] })
}

/// The raw `authorization` header's value, or "" when it is absent.
pub fn header(authorization: &Option<Value>) -> String {
    authorization
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
