//! Helpers the RealWorld syncs call in their `where` steps: reading the
//! nested request bodies (`{"user": {...}}`) and shaping the responses.

use serde_json::{json, Value};

use super::concepts::{NOT_THE_AUTHOR, NOT_THE_COMMENTER, NO_SUCH_COMMENT};

/// The string field `field` of a JSON object, if there is one.
pub fn text(body: &Value, field: &str) -> Option<String> {
    body.get(field).and_then(Value::as_str).map(str::to_owned)
}

/// The most characters a field may have. Usernames, emails and tags are
/// keys, in database indexes (PostgreSQL's index entries stop at 2,704
/// bytes); a title makes its article's slug, which goes into paths.
fn longest(field: &str) -> Option<usize> {
    match field {
        "username" | "tag" => Some(64),
        "email" => Some(254),
        "title" => Some(255),
        "description" | "password" => Some(1024),
        _ => None,
    }
}

fn too_long(field: &str, value: &str) -> bool {
    longest(field).is_some_and(|most| value.chars().count() > most)
}

fn too_long_error(field: &str) -> Value {
    json!([format!(
        "is too long (at most {} characters)",
        longest(field).unwrap_or_default()
    )])
}

/// `body[field]` if it is a string with something in it, not too long:
/// what a sync requires, where `invalid` answers 422 for the rest.
pub fn filled(body: &Value, field: &str) -> Option<String> {
    text(body, field).filter(|value| !value.trim().is_empty() && !too_long(field, value))
}

/// The errors of the `fields` of `body` that are missing, empty, too long
/// or not strings (`{"title": ["can't be blank"]}`), and of a `tagList`
/// that is not a list of strings or has a tag too long, if `fields` lists
/// it (tags are optional); `null` if none.
pub fn invalid(body: Option<&Value>, fields: &[&str]) -> Value {
    let mut errors = serde_json::Map::new();
    for &field in fields {
        let value = body.and_then(|body| body.get(field));
        if field == "tagList" {
            match value {
                None | Some(Value::Null) => {}
                Some(Value::Array(tags)) if tags.iter().all(Value::is_string) => {
                    if tags
                        .iter()
                        .filter_map(Value::as_str)
                        .any(|tag| too_long("tag", tag))
                    {
                        errors.insert(field.to_owned(), json!(["has a tag longer than 64 characters"]));
                    }
                }
                Some(_) => {
                    errors.insert(field.to_owned(), json!(["must be a list of strings"]));
                }
            }
            continue;
        }
        match value.and_then(Value::as_str) {
            None if value.is_some_and(|value| !value.is_null()) => {
                errors.insert(field.to_owned(), json!(["must be a string"]));
            }
            None => {
                errors.insert(field.to_owned(), json!(["can't be blank"]));
            }
            Some(text) if text.trim().is_empty() => {
                errors.insert(field.to_owned(), json!(["can't be blank"]));
            }
            Some(text) if too_long(field, text) => {
                errors.insert(field.to_owned(), too_long_error(field));
            }
            Some(_) => {}
        }
    }
    if errors.is_empty() {
        Value::Null
    } else {
        Value::Object(errors)
    }
}

/// Whether `Article.update` decides a `PUT /articles/:slug` (its 404 or
/// 403 among its outcomes): the request has an `article` whose changes are
/// not too long. Otherwise the route's guard syncs answer.
pub fn update_decides(input: &Option<Value>) -> bool {
    input
        .as_ref()
        .is_some_and(|input| too_long_changes(input, &["title", "description"]).is_null())
}

/// The errors of the `fields` of a change that are given but too long
/// (an empty or missing one leaves its value as it is); `null` if none.
pub fn too_long_changes(body: &Value, fields: &[&str]) -> Value {
    let errors: serde_json::Map<String, Value> = fields
        .iter()
        .filter(|field| text(body, field).is_some_and(|value| too_long(field, &value)))
        .map(|field| ((*field).to_owned(), too_long_error(field)))
        .collect();
    if errors.is_empty() {
        Value::Null
    } else {
        Value::Object(errors)
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

/// The `tagList` of a new article's body: its text tags, trimmed, without
/// empty ones (empty if none).
pub fn tag_list(body: &Value) -> Vec<String> {
    body.get("tagList")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|tag| !tag.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The most articles one page lists.
pub const MAX_PAGE: u32 = 100;

/// A page's size from `limit`: 20 by default, at most [`MAX_PAGE`] (a
/// larger limit would have one request read as many articles as it
/// likes; the client pages on with `offset` and `articlesCount`).
pub fn page_size(limit: &Option<Value>) -> u32 {
    number(limit, 20).min(MAX_PAGE)
}

/// The 422 errors for `limit` and `offset` that are not whole numbers from
/// 0 (`limit=abc`, `offset=-1`), naming each; `null` if both are fine or
/// absent.
pub fn bad_paging(limit: &Option<Value>, offset: &Option<Value>) -> Value {
    let mut errors = serde_json::Map::new();
    for (field, value) in [("limit", limit), ("offset", offset)] {
        let whole = match value {
            None => true,
            Some(Value::Number(number)) => number.as_u64().is_some_and(|n| u32::try_from(n).is_ok()),
            Some(Value::String(text)) => text.parse::<u32>().is_ok(),
            Some(_) => false,
        };
        if !whole {
            errors.insert(
                field.to_owned(),
                json!(["must be a whole number from 0 to 4294967295"]),
            );
        }
    }
    if errors.is_empty() {
        Value::Null
    } else {
        json!(errors)
    }
}

/// A number from a query string or body field, or `default`.
pub fn number(value: &Option<Value>, default: u32) -> u32 {
    match value {
        Some(Value::Number(number)) => number
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(default),
        Some(Value::String(text)) => text.parse().unwrap_or(default),
        _ => default,
    }
}

/// The ids in both restrictions (`None` is no restriction).
pub fn both(first: &Option<Vec<String>>, second: &Option<Vec<String>>) -> Option<Vec<String>> {
    match (first, second) {
        (None, None) => None,
        (Some(ids), None) | (None, Some(ids)) => Some(ids.clone()),
        (Some(first), Some(second)) => Some(first.iter().filter(|id| second.contains(id)).cloned().collect()),
    }
}

/// The `article` object of the API: `article` from [`listed_article_json`]
/// with its `body`.
pub fn with_body(mut article: Value, body: &str) -> Value {
    article["body"] = json!(body);
    article
}

/// An article in a list: the `article` object without its `body`.
#[allow(clippy::too_many_arguments)]
pub fn listed_article_json(
    slug: &str,
    title: &str,
    description: &str,
    tags: &[String],
    created: &str,
    updated: &str,
    favorited: bool,
    count: i64,
    author: Value,
) -> Value {
    json!({
        "slug": slug,
        "title": title,
        "description": description,
        "tagList": tags,
        "createdAt": created,
        "updatedAt": updated,
        "favorited": favorited,
        "favoritesCount": count,
        "author": author,
    })
}

/// The `comment` object of the API.
pub fn comment_json(id: i64, body: &str, created: &str, updated: &str, author: Value) -> Value {
    json!({
        "id": id,
        "body": body,
        "createdAt": created,
        "updatedAt": updated,
        "author": author,
    })
}

/// The errors of an unknown article.
pub fn no_such_article() -> Value {
    json!({ "article": ["not found"] })
}

/// A route's comment id, if it is one (a number, or a string of one).
pub fn comment_id(id: &Value) -> Option<i64> {
    match id {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}

/// The errors of a comment that does not exist.
pub fn no_such_comment() -> Value {
    json!({ "comment": ["not found"] })
}

/// The errors of acting on someone else's writing.
pub fn forbidden() -> Value {
    json!({ "body": ["only the author can do that"] })
}

/// The status and errors answering an action that refused a change
/// (`Article.update`, `Article.remove`, `Comment.remove_by`): 403 when the
/// target is someone else's, 404 when there is none.
pub fn refusal(error: &str) -> (u16, Value) {
    match error {
        NOT_THE_AUTHOR | NOT_THE_COMMENTER => (403, forbidden()),
        NO_SUCH_COMMENT => (404, no_such_comment()),
        _ => (404, no_such_article()),
    }
}
