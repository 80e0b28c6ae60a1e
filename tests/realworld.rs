//! The RealWorld backend's first slice (users) over HTTP, answering as the
//! RealWorld API specifies (`../shared/realworld/openapi.yml`).

#[path = "../examples/realworld/articles.rs"]
mod articles;
#[path = "../examples/realworld/concepts.rs"]
mod concepts;
#[path = "../examples/realworld/json.rs"]
mod json;
#[path = "support/logs.rs"]
mod logs;
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
    assert_eq!(status, 204);
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

/// Requests a client gets wrong, or that name what does not exist, are
/// answered 4xx as the API specifies: never a success, never a 500.
#[tokio::test]
async fn empty_fields_and_missing_things_are_client_errors() {
    use reqwest::Method;
    let (_directory, base) = support::sqlite_server().await;
    let user = json!({"user": {"username": "sam", "email": "sam@mail.com", "password": "pw"}});
    let (_, body) = call(Method::POST, format!("{base}/users"), None, Some(user)).await;
    let signed_in = body["user"]["token"].as_str().expect("token").to_owned();
    let token = Some(signed_in.as_str());

    // Empty strings are blank fields: 422, and nothing is created.
    for (field, user) in [
        (
            "username",
            json!({"username": "", "email": "e@mail.com", "password": "pw"}),
        ),
        (
            "email",
            json!({"username": "emma", "email": "", "password": "pw"}),
        ),
        (
            "password",
            json!({"username": "emma", "email": "e@mail.com", "password": ""}),
        ),
    ] {
        let (status, body) = call(
            Method::POST,
            format!("{base}/users"),
            None,
            Some(json!({ "user": user })),
        )
        .await;
        assert_eq!(status, 422, "registering with an empty {field}: {body}");
        assert!(body["errors"][field].is_array(), "{body}");
    }
    let login = json!({"user": {"email": "", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{base}/users/login"), None, Some(login)).await;
    assert_eq!(status, 422, "{body}");

    // Too long for a key in the database, or for a slug in a path: 422.
    let long = "x".repeat(300);
    let user = json!({"user": {"username": long, "email": "long@mail.com", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{base}/users"), None, Some(user)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["errors"]["username"],
        json!(["is too long (at most 64 characters)"])
    );
    for article in [
        json!({"article": {"title": long, "description": "d", "body": "b"}}),
        json!({"article": {"title": "t", "description": "d", "body": "b", "tagList": ["ok", long]}}),
    ] {
        let (status, body) = call(Method::POST, format!("{base}/articles"), token, Some(article)).await;
        assert_eq!(status, 422, "{body}");
    }
    let change = json!({"user": {"email": format!("{long}@mail.com")}});
    let (status, body) = call(Method::PUT, format!("{base}/user"), token, Some(change)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["errors"]["email"],
        json!(["is too long (at most 254 characters)"])
    );
    let article = json!({"article": {"title": "", "description": "d", "body": "b"}});
    let (status, body) = call(Method::POST, format!("{base}/articles"), token, Some(article)).await;
    assert_eq!(status, 422, "an article with an empty title: {body}");
    let (_, listed) = call(Method::GET, format!("{base}/articles"), None, None).await;
    assert_eq!(listed["articlesCount"], 0, "no article was created: {listed}");

    let article = json!({"article": {"title": "Real", "description": "d", "body": "b", "tagList": ["gone"]}});
    let (status, created) = call(Method::POST, format!("{base}/articles"), token, Some(article)).await;
    assert_eq!(status, 201, "{created}");
    let slug = created["article"]["slug"].as_str().expect("slug").to_owned();
    let change = json!({"article": {"title": "x".repeat(300)}});
    let (status, body) = call(
        Method::PUT,
        format!("{base}/articles/{slug}"),
        token,
        Some(change),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["errors"]["title"],
        json!(["is too long (at most 255 characters)"])
    );
    for comment in [
        json!({"comment": {"body": ""}}),
        json!({"comment": {}}),
        json!({}),
    ] {
        let url = format!("{base}/articles/{slug}/comments");
        let (status, body) = call(Method::POST, url, token, Some(comment.clone())).await;
        assert_eq!(status, 422, "comment {comment}: {body}");
    }

    // What does not exist: 404.
    let missing = [
        (Method::GET, "/articles/no-such-slug/comments"),
        (Method::POST, "/articles/no-such-slug/comments"),
        (Method::POST, "/articles/no-such-slug/favorite"),
        (Method::DELETE, "/articles/no-such-slug/favorite"),
        (Method::DELETE, "/articles/no-such-slug"),
    ];
    for (method, path) in missing {
        let comment = json!({"comment": {"body": "hi"}});
        let (status, body) = call(method.clone(), format!("{base}{path}"), token, Some(comment)).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
    }
    let url = format!("{base}/articles/{slug}/comments/987654");
    let (status, body) = call(Method::DELETE, url, token, None).await;
    assert_eq!(status, 404, "deleting a comment that does not exist: {body}");
    let url = format!("{base}/articles/{slug}/comments/not-a-number");
    let (status, body) = call(Method::DELETE, url, token, None).await;
    assert_eq!(status, 404, "a comment id that is no number: {body}");

    // Without a valid token, 401 comes first, whether or not the thing exists.
    let anonymous = [
        (Method::DELETE, format!("/articles/{slug}/comments/987654")),
        (Method::POST, "/articles/no-such-slug/comments".to_owned()),
        (Method::POST, "/articles/no-such-slug/favorite".to_owned()),
        (Method::DELETE, "/articles/no-such-slug/favorite".to_owned()),
        (Method::PUT, "/articles/no-such-slug".to_owned()),
        (Method::DELETE, "/articles/no-such-slug".to_owned()),
    ];
    for (method, path) in anonymous {
        let (status, body) = call(method.clone(), format!("{base}{path}"), None, None).await;
        assert_eq!(status, 401, "{method} {path} without a token: {body}");
    }
    // A method no sync of the route names: 405.
    let url = format!("{base}/articles/{slug}/comments");
    let (status, body) = call(Method::PUT, url, token, None).await;
    assert_eq!(status, 405, "{body}");
    // A method only the route's guards (401, 404) take, or a body without
    // what the change needs: a 405 or a 400, not an unanswered 500.
    let article_path = format!("/articles/{slug}");
    let client_mistakes = [
        (Method::PUT, "/user", Some(json!({})), 400),
        (Method::PUT, article_path.as_str(), Some(json!({})), 400),
        (Method::PATCH, article_path.as_str(), None, 405),
        (Method::DELETE, "/profiles/sam", None, 405),
        (Method::GET, "/profiles/sam/follow", None, 405),
        (Method::POST, "/articles/feed", None, 405),
    ];
    for (method, path, request, expected) in client_mistakes {
        let (status, body) = call(method.clone(), format!("{base}{path}"), token, request).await;
        assert_eq!(status, expected, "{method} {path}: {body}");
        assert!(body["error"].is_string(), "{method} {path}: {body}");
    }
    // A 405 on a route whose guards take any method lists the methods its
    // other syncs name: those that would have worked.
    let url = format!("{base}{article_path}");
    let refused = reqwest::Client::new()
        .patch(&url)
        .header("authorization", format!("Token {signed_in}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status().as_u16(), 405);
    assert_eq!(refused.headers()["allow"], "GET, PUT, DELETE, HEAD, OPTIONS");

    // A comment deleted without a valid token: 401.
    let url = format!("{base}/articles/{slug}/comments");
    let (_, commented) = call(Method::POST, url, token, Some(json!({"comment": {"body": "hi"}}))).await;
    let id = commented["comment"]["id"].as_i64().expect("id");
    // Under another article's slug, or one no article has: 404, and the
    // comment stays.
    let other = json!({"article": {"title": "Other", "description": "d", "body": "b"}});
    let (_, other) = call(Method::POST, format!("{base}/articles"), token, Some(other)).await;
    let other_slug = other["article"]["slug"].as_str().expect("slug");
    for wrong in [other_slug, "no-such-slug"] {
        let url = format!("{base}/articles/{wrong}/comments/{id}");
        let (status, body) = call(Method::DELETE, url, token, None).await;
        assert_eq!(status, 404, "comment {id} under {wrong}: {body}");
    }
    let (_, comments) = call(
        Method::GET,
        format!("{base}/articles/{slug}/comments"),
        None,
        None,
    )
    .await;
    assert_eq!(comments["comments"][0]["id"], id, "{comments}");
    let url = format!("{base}/articles/{slug}/comments/{id}");
    let (status, body) = call(Method::DELETE, url.clone(), Some("not-a-token"), None).await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = call(Method::DELETE, url, None, None).await;
    assert_eq!(status, 401, "{body}");

    // PUT /user: an empty username is left as it is; a password is set,
    // and ends the user's other tokens (a second login's here).
    let login = json!({"user": {"email": "sam@mail.com", "password": "pw"}});
    let (_, second) = call(Method::POST, format!("{base}/users/login"), None, Some(login)).await;
    let second = second["user"]["token"].as_str().expect("token").to_owned();
    let change = json!({"user": {"username": "", "password": "new pw"}});
    let (status, body) = call(Method::PUT, format!("{base}/user"), token, Some(change)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["username"], "sam");
    for (password, expected) in [("pw", 422), ("new pw", 200)] {
        let login = json!({"user": {"email": "sam@mail.com", "password": password}});
        let (status, body) = call(Method::POST, format!("{base}/users/login"), None, Some(login)).await;
        assert_eq!(status, expected, "logging in with {password:?}: {body}");
    }
    let (status, _) = call(Method::GET, format!("{base}/user"), Some(&second), None).await;
    assert_eq!(status, 401, "the other token ended with the old password");
    let (status, _) = call(Method::GET, format!("{base}/user"), token, None).await;
    assert_eq!(status, 200, "the token the change was made with goes on");

    // A deleted article takes its tags with it (and its favorites and
    // comments, which the API no longer shows once the article is gone).
    let (status, body) = call(Method::DELETE, format!("{base}/articles/{slug}"), token, None).await;
    assert_eq!((status, body), (204, Value::Null), "deleted: no content");
    let (_, tags) = call(Method::GET, format!("{base}/tags"), None, None).await;
    assert_eq!(tags["tags"], json!([]), "the deleted article's tag is gone");
}

#[tokio::test]
async fn articles_among_more_ids_than_placeholders_are_listed() {
    let (_directory, url) = support::sqlite_database();
    support::articles_among_many_ids_are_listed(&url).await;
}

#[tokio::test]
async fn a_page_lists_at_most_a_hundred_articles_without_their_bodies() {
    use reqwest::Method;
    let (_directory, base) = support::sqlite_server().await;
    let user = json!({"user": {"username": "pat", "email": "pat@mail.com", "password": "pw"}});
    let (_, body) = call(Method::POST, format!("{base}/users"), None, Some(user)).await;
    let token = body["user"]["token"].as_str().expect("token").to_owned();
    for n in 0..101 {
        let article =
            json!({"article": {"title": format!("Post {n}"), "description": "d", "body": "long text"}});
        let (status, body) = call(
            Method::POST,
            format!("{base}/articles"),
            Some(&token),
            Some(article),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, listed) = call(Method::GET, format!("{base}/articles?limit=100000"), None, None).await;
    assert_eq!(status, 200, "{listed}");
    let articles = listed["articles"].as_array().expect("articles");
    assert_eq!(articles.len(), 100);
    assert_eq!(
        listed["articlesCount"], 101,
        "the count tells the client to page on"
    );
    assert_eq!(articles[0]["title"], "Post 100", "newest first");
    assert!(
        articles
            .iter()
            .all(|article| article.get("body").is_none() && article["slug"].is_string()),
        "list items leave the body out: {}",
        articles[0]
    );
    let (_, rest) = call(
        Method::GET,
        format!("{base}/articles?limit=100&offset=100"),
        None,
        None,
    )
    .await;
    assert_eq!(rest["articles"][0]["title"], "Post 0", "{rest}");
}

/// A registration cut at its deadline while its password waits to be
/// hashed (a burst of logins holds every hashing slot) creates no account:
/// the name stays free, and registering again works.
#[tokio::test]
async fn a_registration_cut_at_its_deadline_leaves_no_account_behind() {
    use reqwest::Method;
    let (_directory, url) = support::sqlite_database();
    let base = support::server_with(&url, |config| {
        config.request_timeout = std::time::Duration::from_millis(500)
    })
    .await;
    let user = json!({"user": {"username": "late", "email": "late@mail.com", "password": "pw"}});
    let _alone = support::HOLDING_THE_HASHING_QUEUE.lock().await;
    let hashing = concepts::hold_hashing().await;
    let (status, body) = call(Method::POST, format!("{base}/users"), None, Some(user.clone())).await;
    assert_eq!(status, 504, "{body}");
    drop(hashing);
    // Again through a server with the default time-out: hashing waits on
    // the other tests' hashes too.
    let patient = support::server(&url).await;
    let (status, body) = call(Method::POST, format!("{patient}/users"), None, Some(user)).await;
    assert_eq!(status, 201, "registering again: {body}");
    let login = json!({"user": {"email": "late@mail.com", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{patient}/users/login"), None, Some(login)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn emails_titles_and_tags_are_taken_as_people_mean_them() {
    use reqwest::Method;
    let (_directory, base) = support::sqlite_server().await;
    let user = json!({"user": {"username": "Mixed", "email": "Mixed@Mail.COM", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{base}/users"), None, Some(user)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["user"]["email"], "mixed@mail.com");
    let token = body["user"]["token"].as_str().expect("token").to_owned();
    let token = Some(token.as_str());
    // One address, whatever its case.
    let login = json!({"user": {"email": "MIXED@mail.com", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{base}/users/login"), None, Some(login)).await;
    assert_eq!(status, 200, "{body}");
    // Beyond ASCII too (SQLite's lower() folds only ASCII).
    let user = json!({"user": {"username": "elan", "email": "Élan@Mail.com", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{base}/users"), None, Some(user)).await;
    assert_eq!(status, 201, "{body}");
    let login = json!({"user": {"email": "ÉLAN@mail.com", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{base}/users/login"), None, Some(login)).await;
    assert_eq!(status, 200, "{body}");
    let again = json!({"user": {"username": "other", "email": "mixed@MAIL.com", "password": "pw"}});
    let (status, body) = call(Method::POST, format!("{base}/users"), None, Some(again)).await;
    assert_eq!(status, 422, "the address is taken: {body}");

    // A title of spaces is blank; empty tags are no tags.
    let article = json!({"article": {"title": "   ", "description": "d", "body": "b"}});
    let (status, body) = call(Method::POST, format!("{base}/articles"), token, Some(article)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"]["title"], json!(["can't be blank"]));
    let article = json!({"article": {"title": "Tagged", "description": "d", "body": "b", "tagList": ["", "  ", " rust "]}});
    let (status, body) = call(Method::POST, format!("{base}/articles"), token, Some(article)).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["article"]["tagList"], json!(["rust"]));

    // The same title again keeps the slug (and the links to it).
    let slug = body["article"]["slug"].as_str().expect("slug").to_owned();
    let same = json!({"article": {"title": "Tagged", "body": "new text"}});
    let (status, body) = call(Method::PUT, format!("{base}/articles/{slug}"), token, Some(same)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["article"]["slug"], slug.as_str());
    let renamed = json!({"article": {"title": "Renamed"}});
    let (_, body) = call(
        Method::PUT,
        format!("{base}/articles/{slug}"),
        token,
        Some(renamed),
    )
    .await;
    assert!(
        body["article"]["slug"]
            .as_str()
            .is_some_and(|new| new.starts_with("renamed-")),
        "{body}"
    );
}

/// Articles of one title, created or renamed to it, have different slugs:
/// each slug ends with its article's place, which no other has.
#[tokio::test]
async fn articles_of_one_title_have_different_slugs() {
    let (_directory, base) = support::sqlite_server().await;
    let user = json!({"user": {"username": "w", "email": "w@mail.com", "password": "pw"}});
    let (_, body) = call(reqwest::Method::POST, format!("{base}/users"), None, Some(user)).await;
    let token = body["user"]["token"].as_str().expect("token").to_owned();
    let mut slugs = Vec::new();
    for title in ["Same", "Same", "Other"] {
        let article = json!({"article": {"title": title, "description": "d", "body": "b"}});
        let (status, body) = call(
            reqwest::Method::POST,
            format!("{base}/articles"),
            Some(&token),
            Some(article),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        slugs.push(body["article"]["slug"].as_str().expect("slug").to_owned());
    }
    let rename = json!({"article": {"title": "Same"}});
    let (status, body) = call(
        reqwest::Method::PUT,
        format!("{base}/articles/{}", slugs[2]),
        Some(&token),
        Some(rename),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    slugs[2] = body["article"]["slug"].as_str().expect("slug").to_owned();
    assert!(slugs.iter().all(|slug| slug.starts_with("same-")), "{slugs:?}");
    let distinct: std::collections::HashSet<&String> = slugs.iter().collect();
    assert_eq!(distinct.len(), 3, "{slugs:?}");
}

/// A login with an unknown email waits its turn for a password check, as a
/// wrong password does: its answer does not come sooner and tell which
/// emails have accounts.
#[tokio::test]
async fn a_login_with_an_unknown_email_checks_a_password_all_the_same() {
    use reqwest::Method;
    let (_directory, url) = support::sqlite_database();
    let base = support::server_with(&url, |config| {
        config.request_timeout = std::time::Duration::from_millis(500)
    })
    .await;
    let login = json!({"user": {"email": "nobody@mail.com", "password": "pw"}});
    let _alone = support::HOLDING_THE_HASHING_QUEUE.lock().await;
    let hashing = concepts::hold_hashing().await;
    let (status, body) = call(
        Method::POST,
        format!("{base}/users/login"),
        None,
        Some(login.clone()),
    )
    .await;
    assert_eq!(status, 504, "it waited for the hashing queue: {body}");
    drop(hashing);
    let patient = support::server(&url).await;
    let (status, body) = call(Method::POST, format!("{patient}/users/login"), None, Some(login)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"]["email or password"], json!(["is invalid"]));
}

/// Makes the SQLite database at `url` as an older version of the app left
/// it: these statements and nothing else.
async fn database_of_before(url: &str, statements: &[&str]) {
    let old = sqlx::SqlitePool::connect(&format!("{url}?mode=rwc"))
        .await
        .expect("database");
    for statement in statements {
        sqlx::query(statement).execute(&old).await.expect("old schema");
    }
    old.close().await;
}

/// A token ends with its lifetime; a database from before tokens ended
/// keeps its tokens, for a lifetime from the upgrade.
#[tokio::test]
async fn tokens_end_with_their_lifetime() {
    let (_directory, url) = support::sqlite_database();
    // A database of before: tokens without an end.
    let old_token = format!(
        "INSERT INTO tokens (digest, account) VALUES ('{}', 'old-user')",
        concepts::digest("old-token")
    );
    database_of_before(
        &url,
        &[
            "CREATE TABLE tokens (digest TEXT PRIMARY KEY, account TEXT NOT NULL)",
            &old_token,
        ],
    )
    .await;
    let pool = concepts::open(&url).await.expect("upgraded");
    let lasting = concepts::Token::new(pool.clone());
    let user = lasting
        ._user("Token old-token".to_owned())
        .await
        .expect("looked up");
    assert!(user.is_some(), "the old token still works");

    let issued = lasting.issue("someone".to_owned()).await.expect("issued").token;
    let user = lasting._user(format!("Token {issued}")).await.expect("looked up");
    assert_eq!(
        user.map(|row| row.user).as_deref(),
        Some("someone"),
        "a new token works"
    );
    let brief = concepts::Token::lasting(pool, std::time::Duration::ZERO);
    let issued = brief.issue("someone".to_owned()).await.expect("issued").token;
    let user = brief._user(format!("Token {issued}")).await.expect("looked up");
    assert!(user.is_none(), "a token past its lifetime lets no one in");
}

/// The lookups of every request have indexes.
#[tokio::test]
async fn the_lookups_of_every_request_have_indexes() {
    let (_directory, url) = support::sqlite_database();
    let pool = concepts::open(&url).await.expect("database");
    let plan: Vec<(i64, i64, i64, String)> =
        sqlx::query_as("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM favorites WHERE article = 'x'")
            .fetch_all(&pool)
            .await
            .expect("plan");
    let plan: Vec<&str> = plan.iter().map(|(_, _, _, detail)| detail.as_str()).collect();
    assert!(
        plan.iter().any(|step| step.contains("favorites_by_article")),
        "{plan:?}"
    );
}

use concepts::{Article, Comment, Favoriting, Password};

syncs_runtime::sync! {
    /// Stand for a `DELETE /articles/:slug` whose forgetting of favorites
    /// and comments lands between a favorite's (or a comment's) lookup of
    /// the article and the favorite's (comment's) storing: the article is
    /// deleted, then the favorite (comment) is stored again, as it would
    /// have been after the deletion.
    pub DeleteBeforeFavoriting
    when
        Requesting.request (path: "/articles/:slug/favorite") : ()
        Favoriting.favorite (user, item: article) : ()
    where
        Article._by_id (article) : (slug, author)
    then
        Article.remove (slug, by: author)
        Favoriting.favorite (user, item: article)

    pub DeleteBeforeCommenting
    when
        Requesting.request (path: "/articles/:slug/comments") : ()
        Comment.add (target: article, author, body) : ()
    where
        Article._by_id (article) : (slug, author: writer)
    then
        Article.remove (slug, by: writer)
        Comment.add (target: article, author, body)

    /// An unfavorite after the article's deletion.
    pub DeleteBeforeUnfavoriting
    when
        Requesting.request (path: "/articles/:slug/favorite") : ()
        Favoriting.unfavorite (user, item: article) : ()
    where
        Article._by_id (article) : (slug, author)
    then
        Article.remove (slug, by: author)
        Favoriting.unfavorite (user, item: article)
}

/// One request on an article deleted while it is handled (`race` adds one
/// of the syncs above before the app's, so that it runs before they
/// answer): the answer, and the favorites and comments left in the
/// database.
async fn on_an_article_deleted_meanwhile(
    race: impl FnOnce(syncs_runtime::EngineBuilder) -> syncs_runtime::EngineBuilder,
    method: &str,
    path: &str,
    extra: Value,
) -> (syncs_runtime::Fields, i64) {
    let (_directory, url) = support::sqlite_database();
    let pool = concepts::open(&url).await.expect("database");
    let engine = articles::register(syncs::register(race(concepts::register(
        syncs_runtime::Engine::builder(),
        pool.clone(),
    ))))
    .build()
    .expect("engine");
    let user = json!({"username": "fan", "email": "fan@mail.com", "password": "pw"});
    let registered = engine
        .request("/users", json!({"method": "POST", "user": user}))
        .await
        .expect("registered");
    let token = format!(
        "Token {}",
        registered.body["user"]["token"].as_str().expect("token")
    );
    let article = json!({"title": "Soon gone", "description": "d", "body": "b"});
    let created = engine
        .request(
            "/articles",
            json!({"method": "POST", "authorization": token, "article": article}),
        )
        .await
        .expect("created");
    let slug = created.body["article"]["slug"].as_str().expect("slug").to_owned();
    let mut fields = json!({"method": method, "slug": slug, "authorization": token});
    if let (Some(fields), Some(extra)) = (fields.as_object_mut(), extra.as_object()) {
        fields.extend(extra.clone());
    }
    let answer = engine.request(path, fields).await.expect("answered");
    let (left,): (i64,) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM favorites) + (SELECT COUNT(*) FROM comments)")
            .fetch_one(&pool)
            .await
            .expect("count");
    (answer.body, left)
}

#[tokio::test]
async fn a_favorite_or_comment_on_an_article_deleted_meanwhile_is_a_404_and_leaves_no_row() {
    let cases = [
        ("POST", "/articles/:slug/favorite", json!({})),
        ("DELETE", "/articles/:slug/favorite", json!({})),
        (
            "POST",
            "/articles/:slug/comments",
            json!({"comment": {"body": "late"}}),
        ),
    ];
    for (method, path, extra) in cases {
        let race = |builder: syncs_runtime::EngineBuilder| match (method, path) {
            ("POST", "/articles/:slug/favorite") => builder.sync(DeleteBeforeFavoriting),
            ("DELETE", _) => builder.sync(DeleteBeforeUnfavoriting),
            _ => builder.sync(DeleteBeforeCommenting),
        };
        let (answer, left) = on_an_article_deleted_meanwhile(race, method, path, extra).await;
        assert_eq!(
            answer.get("http_status"),
            Some(&json!(404)),
            "{method} {path}: {answer:?}"
        );
        assert_eq!(
            left, 0,
            "{method} {path}: no favorite or comment of a deleted article is left"
        );
    }
}

syncs_runtime::sync! {
    /// Stands for a password change (`PUT /user`) that lands between a
    /// login's check of the old password and its token.
    pub ChangePasswordDuringLogin
    when
        Requesting.request (path: "/users/login") : ()
        Password.check (user) : ()
    then
        Password.set (user, password: "changed")
}

/// A login that checked the old password while the password changed gets
/// no token: with the change's revocation already done, the token would
/// have outlived the password it was issued for.
#[tokio::test]
async fn a_login_racing_a_password_change_gets_no_token() {
    let (_directory, url) = support::sqlite_database();
    let pool = concepts::open(&url).await.expect("database");
    let engine = articles::register(syncs::register(
        concepts::register(syncs_runtime::Engine::builder(), pool.clone()).sync(ChangePasswordDuringLogin),
    ))
    .build()
    .expect("engine");
    let user = json!({"username": "jo", "email": "jo@mail.com", "password": "old"});
    engine
        .request("/users", json!({"method": "POST", "user": user}))
        .await
        .expect("registered");
    let login = json!({"email": "jo@mail.com", "password": "old"});
    let answer = engine
        .request("/users/login", json!({"method": "POST", "user": login}))
        .await
        .expect("answered");
    assert_eq!(
        answer.body.get("http_status"),
        Some(&json!(422)),
        "{:?}",
        answer.body
    );
    assert_eq!(
        answer.body["errors"],
        json!({"email or password": ["is invalid"]})
    );
    let (tokens,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tokens")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(tokens, 1, "only the registration's token");
}

/// A database from before passwords had versions gets the column, and its
/// passwords still open their accounts; a change after the check is seen.
#[tokio::test]
async fn passwords_of_before_versions_still_log_in() {
    // A hash as the app of before stored it (hashing needs no table).
    let (_scratch, scratch_url) = support::sqlite_database();
    let hasher = concepts::Password::new(concepts::open(&scratch_url).await.expect("database"));
    let old_hash = hasher.hash("secret".to_owned()).await.expect("hashed").hash;

    let (_directory, url) = support::sqlite_database();
    let old_row = format!("INSERT INTO passwords (account, hash) VALUES ('someone', '{old_hash}')");
    database_of_before(
        &url,
        &[
            "CREATE TABLE passwords (account TEXT PRIMARY KEY, hash TEXT NOT NULL)",
            &old_row,
        ],
    )
    .await;
    let passwords = concepts::Password::new(concepts::open(&url).await.expect("upgraded"));
    let checked = passwords
        .check("someone".to_owned(), "secret".to_owned())
        .await
        .expect("the old password opens the account");
    passwords
        .confirm("someone".to_owned(), checked.version)
        .await
        .expect("unchanged since the check");
    passwords
        .set("someone".to_owned(), "another".to_owned())
        .await
        .expect("changed");
    assert!(
        passwords
            .confirm("someone".to_owned(), checked.version)
            .await
            .is_err(),
        "a changed password has a new version"
    );
}

/// An article's favorite flag is the viewer's own, its count everyone's.
#[tokio::test]
async fn favorites_are_flagged_for_their_viewer_and_counted_for_all() {
    let (_directory, base) = support::sqlite_server().await;
    let post = reqwest::Method::POST;
    let mut tokens = Vec::new();
    for name in ["writer", "fan"] {
        let user = json!({"user": {"username": name, "email": format!("{name}@mail.com"), "password": "pw"}});
        let (_, body) = call(post.clone(), format!("{base}/users"), None, Some(user)).await;
        tokens.push(body["user"]["token"].as_str().expect("token").to_owned());
    }
    let (writer, fan) = (&tokens[0], &tokens[1]);
    let article = json!({"article": {"title": "Liked", "description": "d", "body": "b"}});
    let (_, created) = call(
        post.clone(),
        format!("{base}/articles"),
        Some(writer),
        Some(article),
    )
    .await;
    let slug = created["article"]["slug"].as_str().expect("slug").to_owned();

    let (status, favorited) = call(post, format!("{base}/articles/{slug}/favorite"), Some(fan), None).await;
    assert_eq!(status, 200, "{favorited}");
    assert_eq!(
        (
            &favorited["article"]["favorited"],
            &favorited["article"]["favoritesCount"]
        ),
        (&json!(true), &json!(1))
    );
    for (viewer, flagged) in [
        (Some(fan.as_str()), true),
        (Some(writer.as_str()), false),
        (None, false),
    ] {
        let (_, read) = call(
            reqwest::Method::GET,
            format!("{base}/articles/{slug}"),
            viewer,
            None,
        )
        .await;
        assert_eq!(
            (&read["article"]["favorited"], &read["article"]["favoritesCount"]),
            (&json!(flagged), &json!(1)),
            "viewer {viewer:?}"
        );
    }
}

/// A request is answered by one sync: no second sync tries to answer it
/// too (the engine refuses a second `respond` and warns). Before, every 401
/// on a write route to a missing article or comment was answered twice
/// (its 404 came after), and so were a deleted article or comment and a
/// renamed article (a 404 came after the answer, as the slug then named
/// nothing): `Article.remove`, `Comment.remove_by` and `Article.update`
/// now decide in one action.
#[tokio::test]
async fn a_request_is_answered_by_one_sync() {
    let (logs, _guard) = logs::Captured::at(tracing::Level::WARN);
    let (_directory, url) = support::sqlite_database();
    let pool = concepts::open(&url).await.expect("database");
    let engine = articles::register(syncs::register(concepts::register(
        syncs_runtime::Engine::builder(),
        pool,
    )))
    .strict_checks(true)
    .build()
    .expect("engine");
    let mut tokens = Vec::new();
    for name in ["writer", "reader"] {
        let user = json!({"username": name, "email": format!("{name}@mail.com"), "password": "pw"});
        let answer = engine
            .request("/users", json!({"method": "POST", "user": user}))
            .await
            .expect("registered");
        tokens.push(format!(
            "Token {}",
            answer.body["user"]["token"].as_str().expect("token")
        ));
    }
    let (writer, reader) = (tokens[0].as_str(), tokens[1].as_str());
    let article = json!({"title": "Kept", "description": "d", "body": "b"});
    let created = engine
        .request(
            "/articles",
            json!({"method": "POST", "authorization": writer, "article": article}),
        )
        .await
        .expect("created");
    let slug = created.body["article"]["slug"].as_str().expect("slug").to_owned();
    let comment = json!({"body": "hi"});
    let commented = engine
        .request(
            "/articles/:slug/comments",
            json!({"method": "POST", "slug": slug, "authorization": writer, "comment": comment}),
        )
        .await
        .expect("commented");
    let id = commented.body["comment"]["id"].to_string();

    let write_routes = [
        ("PUT", "/articles/:slug"),
        ("DELETE", "/articles/:slug"),
        ("POST", "/articles/:slug/favorite"),
        ("DELETE", "/articles/:slug/favorite"),
        ("POST", "/articles/:slug/comments"),
        ("DELETE", "/articles/:slug/comments/:id"),
    ];
    let mut cases: Vec<(&str, &str, Value, u64)> = Vec::new();
    for (method, path) in write_routes {
        let base = json!({"method": method, "slug": slug, "id": id, "article": {"body": "x"}, "comment": {"body": "x"}});
        cases.push((method, path, base.clone(), 401));
        let mut without_anything = base.clone();
        without_anything["slug"] = json!("no-such-article");
        without_anything["id"] = json!("no-such-comment");
        cases.push((method, path, without_anything, 401));
        let mut missing = base.clone();
        missing["slug"] = json!("no-such-article");
        missing["authorization"] = json!(writer);
        cases.push((method, path, missing, 404));
    }
    cases.push((
        "PUT",
        "/articles/:slug",
        json!({"method": "PUT", "slug": slug, "authorization": reader, "article": {"body": "x"}}),
        403,
    ));
    cases.push((
        "GET",
        "/articles/:slug",
        json!({"method": "GET", "slug": "no-such-article"}),
        404,
    ));
    cases.push((
        "POST",
        "/articles/:slug/favorite",
        json!({"method": "POST", "slug": slug, "authorization": reader}),
        200,
    ));
    cases.push((
        "DELETE",
        "/articles/:slug/favorite",
        json!({"method": "DELETE", "slug": slug, "authorization": reader}),
        200,
    ));
    // On another article: an update by another user, a rename by the author
    // (the old slug then names nothing), and an update at the old slug.
    let renamed = json!({"title": "Renamed soon", "description": "d", "body": "b"});
    let renamed = engine
        .request(
            "/articles",
            json!({"method": "POST", "authorization": writer, "article": renamed}),
        )
        .await
        .expect("created");
    let old_slug = renamed.body["article"]["slug"].as_str().expect("slug").to_owned();
    for (token, title, status) in [
        (reader, "Theirs", 403),
        (writer, "Renamed", 200),
        (writer, "Again", 404),
    ] {
        cases.push((
            "PUT",
            "/articles/:slug",
            json!({"method": "PUT", "slug": old_slug, "authorization": token, "article": {"title": title}}),
            status,
        ));
    }
    for (token, status) in [(reader, 403), (writer, 204), (writer, 404)] {
        cases.push((
            "DELETE",
            "/articles/:slug/comments/:id",
            json!({"method": "DELETE", "slug": slug, "id": id, "authorization": token}),
            status,
        ));
    }
    cases.push((
        "DELETE",
        "/articles/:slug",
        json!({"method": "DELETE", "slug": slug, "authorization": reader}),
        403,
    ));
    cases.push((
        "DELETE",
        "/articles/:slug",
        json!({"method": "DELETE", "slug": slug, "authorization": writer}),
        204,
    ));
    cases.push((
        "DELETE",
        "/articles/:slug",
        json!({"method": "DELETE", "slug": slug, "authorization": writer}),
        404,
    ));
    for (method, path, fields, status) in cases {
        let answer = engine.request(path, fields).await.expect("answered");
        let answered = answer
            .body
            .get("http_status")
            .and_then(Value::as_u64)
            .unwrap_or(200);
        assert_eq!(answered, status, "{method} {path}: {:?}", answer.body);
        // Each request's flow ends before the next starts: what this test
        // looks for is a request answered twice by its own flow. One
        // request's cascade still running (an article's delete, forgetting
        // its comments after the answer) when the next request's syncs read
        // is the race between requests RELIABILITY.md describes; it made
        // this test fail once in CI.
        engine.drain().await;
    }
    let text = logs.text();
    let twice: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("second respond"))
        .collect();
    assert!(twice.is_empty(), "{}", twice.join("\n"));
}

/// A page's `limit` and `offset` must be whole numbers from 0: anything else
/// is a 422 naming the field (it was taken as the default, silently).
#[tokio::test]
async fn a_page_that_is_not_a_whole_number_is_a_422_naming_it() {
    let (_directory, base) = support::sqlite_server().await;
    let user = json!({"user": {"username": "pager", "email": "pager@mail.com", "password": "pw"}});
    let (_, body) = call(reqwest::Method::POST, format!("{base}/users"), None, Some(user)).await;
    let token = body["user"]["token"].as_str().expect("token").to_owned();
    for (query, field) in [
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("limit=2.5", "limit"),
    ] {
        for (path, token) in [("articles", None), ("articles/feed", Some(token.as_str()))] {
            let (status, body) = call(
                reqwest::Method::GET,
                format!("{base}/{path}?{query}"),
                token,
                None,
            )
            .await;
            assert_eq!(status, 422, "{path}?{query}: {body}");
            assert!(body["errors"][field].is_array(), "{path}?{query}: {body}");
        }
    }
    let (status, body) = call(
        reqwest::Method::GET,
        format!("{base}/articles?limit=5&offset=0"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = call(
        reqwest::Method::GET,
        format!("{base}/articles/feed?limit=abc"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 401, "a feed without a token is a 401 first");
}

/// A field of the wrong type is a 422 saying so: it was "blank" for a
/// number, and a `tagList` that was not a list was taken as no tags.
#[tokio::test]
async fn a_field_of_the_wrong_type_is_a_422_saying_so() {
    let (_directory, base) = support::sqlite_server().await;
    let post = reqwest::Method::POST;
    let numbered = json!({"user": {"username": 1, "email": "typed@mail.com", "password": "pw"}});
    let (status, body) = call(post.clone(), format!("{base}/users"), None, Some(numbered)).await;
    assert_eq!(
        (status, &body["errors"]),
        (422, &json!({"username": ["must be a string"]})),
        "{body}"
    );

    let user = json!({"user": {"username": "typed", "email": "typed@mail.com", "password": "pw"}});
    let (_, body) = call(post.clone(), format!("{base}/users"), None, Some(user)).await;
    let token = body["user"]["token"].as_str().expect("token").to_owned();
    for tags in [json!("notalist"), json!(["ok", 1])] {
        let article = json!({"article": {"title": "t", "description": "d", "body": "b", "tagList": tags}});
        let (status, body) = call(
            post.clone(),
            format!("{base}/articles"),
            Some(&token),
            Some(article),
        )
        .await;
        assert_eq!(
            (status, &body["errors"]),
            (422, &json!({"tagList": ["must be a list of strings"]})),
            "{tags}: {body}"
        );
    }
}
