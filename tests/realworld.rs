//! The RealWorld backend's first slice (users) over HTTP, answering as the
//! RealWorld API specifies (`../shared/realworld/openapi.yml`).

#[path = "../examples/realworld/articles.rs"]
mod articles;
#[path = "../examples/realworld/concepts.rs"]
mod concepts;
#[path = "../examples/realworld/json.rs"]
mod json;
#[path = "support/realworld.rs"]
mod support;
#[path = "../examples/realworld/syncs.rs"]
mod syncs;

use serde_json::{json, Value};
use support::call;

#[tokio::test]
async fn users_register_log_in_read_and_update_themselves() {
    let (_directory, base) = support::sqlite_server().await;
    let post = reqwest::Method::POST;
    let jake = json!({"user": {"username": "jake", "email": "jake@jake.jake", "password": "jakejake"}});

    let (status, registered) = call(post.clone(), format!("{base}/users"), None, Some(jake.clone())).await;
    assert_eq!(status, 201, "{registered}");
    assert_eq!(registered["user"]["username"], "jake");
    assert_eq!(registered["user"]["email"], "jake@jake.jake");
    assert_eq!(registered["user"]["bio"], Value::Null);
    assert!(registered["user"]["token"]
        .as_str()
        .is_some_and(|token| token.len() == 64));

    let (status, taken) = call(post.clone(), format!("{base}/users"), None, Some(jake)).await;
    assert_eq!(status, 422, "{taken}");
    assert!(taken["errors"].is_object());

    let (status, blank) = call(
        post.clone(),
        format!("{base}/users"),
        None,
        Some(json!({"user": {"username": "x"}})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        blank["errors"],
        json!({"email": ["can't be blank"], "password": ["can't be blank"]})
    );

    let login = json!({"user": {"email": "jake@jake.jake", "password": "jakejake"}});
    let (status, logged_in) = call(post.clone(), format!("{base}/users/login"), None, Some(login)).await;
    assert_eq!(status, 200, "{logged_in}");
    let token = logged_in["user"]["token"].as_str().expect("token").to_owned();

    for wrong in [
        json!({"user": {"email": "jake@jake.jake", "password": "wrong"}}),
        json!({"user": {"email": "nobody@jake.jake", "password": "jakejake"}}),
    ] {
        let (status, refused) = call(post.clone(), format!("{base}/users/login"), None, Some(wrong)).await;
        assert_eq!(
            (status, refused),
            (422, json!({"errors": {"email or password": ["is invalid"]}}))
        );
    }

    let (status, current) = call(reqwest::Method::GET, format!("{base}/user"), Some(&token), None).await;
    assert_eq!(status, 200);
    assert_eq!(current["user"]["token"], token.as_str());
    let (status, _) = call(reqwest::Method::GET, format!("{base}/user"), None, None).await;
    assert_eq!(status, 401, "no token");
    let (status, _) = call(reqwest::Method::GET, format!("{base}/user"), Some("forged"), None).await;
    assert_eq!(status, 401, "unknown token");

    let update =
        json!({"user": {"bio": "I like to skateboard", "image": "https://i.stack.imgur.com/xHWG8.jpg"}});
    let (status, updated) = call(
        reqwest::Method::PUT,
        format!("{base}/user"),
        Some(&token),
        Some(update),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["user"]["bio"], "I like to skateboard");
    assert_eq!(updated["user"]["username"], "jake", "fields not given are kept");
}

#[tokio::test]
async fn only_authors_change_their_articles_and_comments() {
    let (_directory, base) = support::sqlite_server().await;
    let post = reqwest::Method::POST;
    let mut tokens = Vec::new();
    for name in ["writer", "reader"] {
        let user = json!({"user": {"username": name, "email": format!("{name}@mail.com"), "password": "pw"}});
        let (_, body) = call(post.clone(), format!("{base}/users"), None, Some(user)).await;
        tokens.push(body["user"]["token"].as_str().expect("token").to_owned());
    }
    let (writer, reader) = (&tokens[0], &tokens[1]);
    let article =
        json!({"article": {"title": "Mine", "description": "d", "body": "b", "tagList": ["b", "a"]}});
    let (status, created) = call(
        post.clone(),
        format!("{base}/articles"),
        Some(writer),
        Some(article),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["article"]["tagList"],
        json!(["a", "b"]),
        "tags in alphabetical order"
    );
    let slug = created["article"]["slug"].as_str().expect("slug").to_owned();

    let edit = json!({"article": {"body": "theirs now"}});
    let (status, _) = call(
        reqwest::Method::PUT,
        format!("{base}/articles/{slug}"),
        Some(reader),
        Some(edit),
    )
    .await;
    assert_eq!(status, 403, "only the author edits an article");

    let comment = json!({"comment": {"body": "nice"}});
    let (status, commented) = call(
        post.clone(),
        format!("{base}/articles/{slug}/comments"),
        Some(writer),
        Some(comment),
    )
    .await;
    assert_eq!(status, 200, "{commented}");
    let id = commented["comment"]["id"].as_i64().expect("id");
    let (status, _) = call(
        reqwest::Method::DELETE,
        format!("{base}/articles/{slug}/comments/{id}"),
        Some(reader),
        None,
    )
    .await;
    assert_eq!(status, 403, "only the author deletes a comment");
    let (status, _) = call(
        reqwest::Method::DELETE,
        format!("{base}/articles/{slug}/comments/{id}"),
        Some(writer),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        reqwest::Method::GET,
        format!("{base}/articles/no-such-slug"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        post,
        format!("{base}/articles"),
        None,
        Some(json!({"article": {}})),
    )
    .await;
    assert_eq!(status, 401, "writing needs a token");
}
