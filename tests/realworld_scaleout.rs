//! Scale-out: two RealWorld servers on one PostgreSQL database. A user
//! registered through one logs in, posts and is followed through the other.
//!
//! Needs a PostgreSQL server: `.ci/run` starts one and runs this with
//! `REALWORLD_POSTGRES_URL=postgres://... cargo test --test realworld_scaleout -- --ignored`.

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

use serde_json::json;
use support::call;

#[tokio::test]
#[ignore = "needs PostgreSQL: set REALWORLD_POSTGRES_URL (.ci/run does)"]
async fn two_instances_share_one_postgres() {
    let url = std::env::var("REALWORLD_POSTGRES_URL").expect("REALWORLD_POSTGRES_URL names the database");
    let first = support::server(&url).await;
    let second = support::server(&url).await;
    let post = reqwest::Method::POST;
    let unique = support::unique();
    let (author, fan) = (format!("author{unique}"), format!("fan{unique}"));

    // Registered through the first instance...
    for name in [&author, &fan] {
        let user =
            json!({"user": {"username": name, "email": format!("{name}@mail.com"), "password": "pw12345"}});
        let (status, body) = call(post.clone(), format!("{first}/users"), None, Some(user)).await;
        assert_eq!(status, 201, "{body}");
    }

    // ...logs in and posts through the second...
    let login = json!({"user": {"email": format!("{author}@mail.com"), "password": "pw12345"}});
    let (status, logged_in) = call(post.clone(), format!("{second}/users/login"), None, Some(login)).await;
    assert_eq!(status, 200, "{logged_in}");
    let token = logged_in["user"]["token"].as_str().expect("token").to_owned();
    let article =
        json!({"article": {"title": "Shared", "description": "d", "body": "b", "tagList": ["scale"]}});
    let (status, posted) = call(
        post.clone(),
        format!("{second}/articles"),
        Some(&token),
        Some(article),
    )
    .await;
    assert_eq!(status, 201, "{posted}");
    let slug = posted["article"]["slug"].as_str().expect("slug").to_owned();

    // ...and is followed through the second by a user who signed in on the first.
    let fan_login = json!({"user": {"email": format!("{fan}@mail.com"), "password": "pw12345"}});
    let (_, fan_session) = call(
        post.clone(),
        format!("{first}/users/login"),
        None,
        Some(fan_login),
    )
    .await;
    let fan_token = fan_session["user"]["token"].as_str().expect("token").to_owned();
    let (status, followed) = call(
        post.clone(),
        format!("{second}/profiles/{author}/follow"),
        Some(&fan_token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{followed}");
    assert_eq!(followed["profile"]["following"], true);

    // Each instance sees all of it.
    let (status, feed) = call(
        reqwest::Method::GET,
        format!("{first}/articles/feed"),
        Some(&fan_token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(feed["articles"]
        .as_array()
        .is_some_and(|articles| articles.iter().any(|item| item["slug"] == slug.as_str())));
    let (status, read) = call(
        reqwest::Method::GET,
        format!("{first}/articles/{slug}"),
        Some(&fan_token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(read["article"]["author"]["following"], true);
}

/// Articles published at the same time through two instances each get a
/// place of their own in the newest-first list, so paging through it shows
/// each once.
#[tokio::test]
#[ignore = "needs PostgreSQL: set REALWORLD_POSTGRES_URL (.ci/run does)"]
async fn articles_published_at_once_on_two_instances_each_get_their_own_place() {
    let url = std::env::var("REALWORLD_POSTGRES_URL").expect("REALWORLD_POSTGRES_URL names the database");
    // Both at once: their start-ups create the schema concurrently.
    let (first, second) = tokio::join!(support::server(&url), support::server(&url));
    let instances = [first, second];
    let unique = support::unique();
    let name = format!("busy{unique}");
    let user =
        json!({"user": {"username": name, "email": format!("{name}@mail.com"), "password": "pw12345"}});
    let (status, body) = call(
        reqwest::Method::POST,
        format!("{}/users", instances[0]),
        None,
        Some(user),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let token = body["user"]["token"].as_str().expect("token").to_owned();

    const ARTICLES: usize = 40;
    let posts: Vec<_> = (0..ARTICLES)
        .map(|index| {
            let base = instances[index % 2].clone();
            let token = token.clone();
            tokio::spawn(async move {
                let article =
                    json!({"article": {"title": format!("At once {index}"), "description": "d", "body": "b"}});
                call(reqwest::Method::POST, format!("{base}/articles"), Some(&token), Some(article)).await
            })
        })
        .collect();
    for post in posts {
        let (status, body) = post.await.expect("joined");
        assert_eq!(status, 201, "{body}");
    }

    let pool = concepts::open(&url).await.expect("database");
    let (rows, places): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT a.seq) FROM articles a JOIN users u ON u.id = a.author WHERE u.username = $1",
    )
    .bind(&name)
    .fetch_one(&pool)
    .await
    .expect("counted");
    assert_eq!(rows, ARTICLES as i64);
    assert_eq!(places, rows, "two articles share a place in the list");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set REALWORLD_POSTGRES_URL (.ci/run does)"]
async fn articles_among_more_ids_than_placeholders_are_listed() {
    let url = std::env::var("REALWORLD_POSTGRES_URL").expect("REALWORLD_POSTGRES_URL names the database");
    support::articles_among_many_ids_are_listed(&url).await;
}
