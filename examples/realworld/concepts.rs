//! The concepts of the RealWorld ("Conduit") backend, with their state in
//! SQLite or PostgreSQL. Each is independent: none names another.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use syncs_runtime::{concept, ActionError};

#[path = "../support/secrets.rs"]
mod secrets;
#[cfg(test)]
#[allow(unused_imports)] // Only tests/realworld.rs uses them.
pub use secrets::{digest, hold_hashing};

/// The pool type of every concept: SQLite or PostgreSQL, chosen by the URL.
pub type Pool = AnyPool;

/// Opens the database at `url` (`sqlite://file` by default, created if
/// needed, or `postgres://...`) and creates its tables. The same SQL runs on
/// both; spelled per database are only the comments' generated id, the
/// unpacking of a JSON array (`Article`'s id sets), the schema's lock, the
/// WAL setting (SQLite) and the lookup of an existing column.
pub async fn open(url: &str) -> Result<Pool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let postgres = url.starts_with("postgres:") || url.starts_with("postgresql:");
    let url = if !postgres && !url.contains("mode=") {
        format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
    } else {
        url.to_owned()
    };
    let pool = AnyPoolOptions::new().max_connections(8).connect(&url).await?;
    if !postgres {
        // WAL: a commit is on disk before its action completes.
        sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
    }
    // One transaction, and on PostgreSQL one instance at a time: two
    // instances starting together on a new database would both create the
    // tables, and PostgreSQL refuses the second `CREATE TABLE IF NOT
    // EXISTS` that runs at the same time as the first.
    let mut schema = if postgres {
        let mut schema = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(7420519)")
            .execute(&mut *schema)
            .await?;
        schema
    } else {
        // A writer from the start: a deferred transaction that reads first
        // would fail at its first write if another process wrote meanwhile.
        pool.begin_with("BEGIN IMMEDIATE").await?
    };
    let comment_id = if postgres {
        "BIGSERIAL PRIMARY KEY"
    } else {
        "INTEGER PRIMARY KEY AUTOINCREMENT"
    };
    for statement in [
        "CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, \
         email TEXT NOT NULL UNIQUE, bio TEXT, image TEXT)"
            .to_owned(),
        "CREATE TABLE IF NOT EXISTS passwords (account TEXT PRIMARY KEY, hash TEXT NOT NULL, \
         version BIGINT NOT NULL DEFAULT 0)"
            .to_owned(),
        "CREATE TABLE IF NOT EXISTS tokens (digest TEXT PRIMARY KEY, account TEXT NOT NULL)".to_owned(),
        "CREATE TABLE IF NOT EXISTS follows (follower TEXT NOT NULL, followee TEXT NOT NULL, \
         PRIMARY KEY (follower, followee))"
            .to_owned(),
        "CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL, \
         description TEXT NOT NULL, body TEXT NOT NULL, author TEXT NOT NULL, created TEXT NOT NULL, \
         updated TEXT NOT NULL, seq BIGINT NOT NULL)"
            .to_owned(),
        "CREATE TABLE IF NOT EXISTS tags (article TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (article, tag))".to_owned(),
        "CREATE TABLE IF NOT EXISTS favorites (account TEXT NOT NULL, article TEXT NOT NULL, \
         PRIMARY KEY (account, article))"
            .to_owned(),
        format!(
            "CREATE TABLE IF NOT EXISTS comments (id {comment_id}, article TEXT NOT NULL, author TEXT NOT NULL, \
             body TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL)"
        ),
        // The articles' places in the newest-first list, handed out one by
        // one (see `Article.create`); it starts, or catches up, past the
        // database's articles.
        "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)".to_owned(),
        "INSERT INTO counters (name, value) SELECT 'articles', COALESCE(MAX(seq), 0) FROM articles WHERE true \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE excluded.value > counters.value"
            .to_owned(),
    ] {
        sqlx::query(&statement).execute(&mut *schema).await?;
    }
    // Columns added since the first release, for a database from before.
    // Each is looked up first: on PostgreSQL an ALTER TABLE locks the
    // table, stalling the instances already running.
    // Tokens end (`Token`): the tokens of before get a full lifetime from now.
    if !has_column(&mut schema, postgres, "tokens", "expires").await? {
        sqlx::query("ALTER TABLE tokens ADD COLUMN expires BIGINT")
            .execute(&mut *schema)
            .await?;
        sqlx::query("UPDATE tokens SET expires = $1 WHERE expires IS NULL")
            .bind(unix_now() + TOKEN_LIFETIME.as_secs() as i64)
            .execute(&mut *schema)
            .await?;
    }
    // A password's version (`Password.check`), counted from the upgrade.
    if !has_column(&mut schema, postgres, "passwords", "version").await? {
        sqlx::query("ALTER TABLE passwords ADD COLUMN version BIGINT NOT NULL DEFAULT 0")
            .execute(&mut *schema)
            .await?;
    }
    // The lookups of every request, so that none reads a whole table: a
    // page's favorites and comments by article, tokens by account (when a
    // password changes), articles by tag, newest first, by author.
    for index in [
        "CREATE INDEX IF NOT EXISTS favorites_by_article ON favorites (article)",
        "CREATE INDEX IF NOT EXISTS comments_by_article ON comments (article, id)",
        "CREATE INDEX IF NOT EXISTS tokens_by_account ON tokens (account)",
        "CREATE INDEX IF NOT EXISTS tags_by_tag ON tags (tag)",
        "CREATE INDEX IF NOT EXISTS articles_newest_first ON articles (seq)",
        "CREATE INDEX IF NOT EXISTS articles_by_author ON articles (author, seq)",
    ] {
        sqlx::query(index).execute(&mut *schema).await?;
    }
    schema.commit().await?;
    Ok(pool)
}

/// Whether `table` has `column` yet.
async fn has_column(
    schema: &mut sqlx::Transaction<'_, sqlx::Any>,
    postgres: bool,
    table: &str,
    column: &str,
) -> Result<bool, sqlx::Error> {
    let query = if postgres {
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = $1 AND column_name = $2"
    } else {
        "SELECT COUNT(*) FROM pragma_table_info($1) WHERE name = $2"
    };
    let (columns,): (i64,) = sqlx::query_as(query)
        .bind(table)
        .bind(column)
        .fetch_one(&mut **schema)
        .await?;
    Ok(columns > 0)
}

/// How long a token lets its client act as its user.
pub const TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 60 * 60);

/// Seconds since the Unix epoch.
fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Purpose: people known by a unique username and email, with a profile.
pub struct User {
    pool: Pool,
}

impl User {
    /// The concept over an open database.
    pub fn new(pool: Pool) -> Self {
        User { pool }
    }
}

/// The outcome of `User.register`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registered {
    /// The new user's id.
    pub user: String,
}

/// A user as the queries return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct UserRow {
    /// The user's id.
    pub user: String,
    /// Unique name.
    pub username: String,
    /// Unique email.
    pub email: String,
    /// Profile text.
    pub bio: Option<String>,
    /// Profile picture URL.
    pub image: Option<String>,
}

const USER_COLUMNS: &str = "SELECT id AS \"user\", username, email, bio, image FROM users";

#[concept]
impl User {
    /// Registers a user; fails if the username or email is taken. Emails
    /// are kept in lower case: `Jake@x.com` and `jake@x.com` are one
    /// address.
    pub async fn register(&self, username: String, email: String) -> Result<Registered, ActionError> {
        let id = secrets::random_hex(16);
        let email = email.to_lowercase();
        let inserted = sqlx::query("INSERT INTO users (id, username, email) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(&username)
            .bind(&email)
            .execute(&self.pool)
            .await;
        match inserted {
            Ok(_) => Ok(Registered { user: id }),
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                Err(ActionError::fail("username or email is already taken"))
            }
            Err(error) => Err(ActionError::internal(error)),
        }
    }

    /// Changes the fields given (`None` keeps the current value).
    pub async fn update(
        &self,
        user: String,
        username: Option<String>,
        email: Option<String>,
        bio: Option<String>,
        image: Option<String>,
    ) -> Result<(), ActionError> {
        let updated = sqlx::query(
            "UPDATE users SET username = COALESCE($1, username), email = COALESCE($2, email), \
             bio = COALESCE($3, bio), image = COALESCE($4, image) WHERE id = $5",
        )
        .bind(username)
        .bind(email.map(|email| email.to_lowercase()))
        .bind(bio)
        .bind(image)
        .bind(&user)
        .execute(&self.pool)
        .await;
        match updated {
            Ok(done) if done.rows_affected() == 1 => Ok(()),
            Ok(_) => Err(ActionError::fail("no such user")),
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                Err(ActionError::fail("username or email is already taken"))
            }
            Err(error) => Err(ActionError::internal(error)),
        }
    }

    /// The user with this id.
    pub async fn _by_id(&self, user: String) -> Result<Option<UserRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{USER_COLUMNS} WHERE id = $1"))
            .bind(user)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The user with this username.
    pub async fn _by_username(&self, username: String) -> Result<Option<UserRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{USER_COLUMNS} WHERE username = $1"))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The ids of the user named `username` (`None` for no name given; an
    /// empty list for an unknown name): one row.
    pub async fn _ids_named(&self, username: Option<String>) -> Result<Option<Ids>, ActionError> {
        let Some(username) = username else {
            return Ok(Some(Ids { ids: None }));
        };
        let found = self._by_username(username).await?;
        Ok(Some(Ids {
            ids: Some(found.into_iter().map(|row| row.user).collect()),
        }))
    }

    /// The user with this email.
    pub async fn _by_email(&self, email: String) -> Result<Option<UserRow>, ActionError> {
        // Emails are stored in lower case as Rust folds it, all of Unicode
        // (SQLite's lower() folds only ASCII); lower() on both sides also
        // finds an address stored before emails were kept in lower case.
        // Two accounts stored before that may differ in case only: the
        // one spelled as given comes first.
        Ok(sqlx::query_as(&format!(
            "{USER_COLUMNS} WHERE email = $1 OR lower(email) = lower($1) ORDER BY email = $1 DESC, id LIMIT 1"
        ))
        .bind(email.to_lowercase())
        .fetch_optional(&self.pool)
        .await?)
    }
}

/// Purpose: prove who you are with a secret only you know.
pub struct Password {
    pool: Pool,
}

impl Password {
    /// The concept over an open database.
    pub fn new(pool: Pool) -> Self {
        Password { pool }
    }
}

/// The outcome of `Password.hash`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hashed {
    /// The password's argon2id hash, with its salt.
    pub hash: String,
}

/// The outcome of `Password.check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasswordVersion {
    /// How many times the user's password was changed: a login compares
    /// the version it checked with the current one before it answers.
    pub version: i64,
}

#[concept]
impl Password {
    /// Hashes a password for [`Password.store`](Password::store): hashing
    /// takes a while and waits its turn, so a registration hashes before
    /// the account exists, and a registration cut at its deadline leaves
    /// none without a password.
    #[infallible]
    #[secret(hash)]
    pub async fn hash(&self, #[secret] password: String) -> Result<Hashed, ActionError> {
        Ok(Hashed {
            hash: secrets::hash_password(password).await?,
        })
    }

    /// Stores a hash made by `Password.hash` as a user's password.
    #[infallible]
    pub async fn store(&self, user: String, #[secret] hash: String) -> Result<(), ActionError> {
        sqlx::query("INSERT INTO passwords (account, hash) VALUES ($1, $2) ON CONFLICT (account) DO UPDATE SET hash = excluded.hash, version = passwords.version + 1")
            .bind(&user)
            .bind(hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets a user's password (argon2id, per-user salt).
    #[infallible]
    pub async fn set(&self, user: String, #[secret] password: String) -> Result<(), ActionError> {
        let hash = secrets::hash_password(password).await?;
        self.store(user, hash).await
    }

    /// Checks a user's password (in constant time); its version, if right.
    pub async fn check(
        &self,
        user: String,
        #[secret] password: String,
    ) -> Result<PasswordVersion, ActionError> {
        let stored: Option<(String, i64)> =
            sqlx::query_as("SELECT hash, version FROM passwords WHERE account = $1")
                .bind(&user)
                .fetch_optional(&self.pool)
                .await?;
        let Some((hash, version)) = stored else {
            // As long as a wrong password takes: the time of an answer does
            // not tell whether the account exists.
            secrets::verify_against_nothing(password).await?;
            return Err(ActionError::fail("email or password is invalid"));
        };
        let valid = secrets::verify_password(password, hash).await?;
        if valid {
            Ok(PasswordVersion { version })
        } else {
            Err(ActionError::fail("email or password is invalid"))
        }
    }

    /// Succeeds if the user's password is still at `version` (not changed
    /// since the check that gave it); its `error` outcome otherwise.
    pub async fn confirm(&self, user: String, version: i64) -> Result<(), ActionError> {
        let current: Option<(i64,)> = sqlx::query_as("SELECT version FROM passwords WHERE account = $1")
            .bind(user)
            .fetch_optional(&self.pool)
            .await?;
        match current {
            Some((current,)) if current == version => Ok(()),
            _ => Err(ActionError::fail("the password changed since it was checked")),
        }
    }
}

/// Purpose: let a client act as a user without sending the password again.
pub struct Token {
    pool: Pool,
    /// Seconds a token lasts.
    lifetime: i64,
}

impl Token {
    /// The concept over an open database; tokens last [`TOKEN_LIFETIME`].
    pub fn new(pool: Pool) -> Self {
        Token::lasting(pool, TOKEN_LIFETIME)
    }

    /// The concept over an open database, its tokens lasting `lifetime`.
    pub fn lasting(pool: Pool, lifetime: std::time::Duration) -> Self {
        let lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
        Token { pool, lifetime }
    }
}

/// The outcome of `Token.issue`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issued {
    /// The token: 256 random bits, stored only as a digest.
    pub token: String,
}

/// A row of `Token._user`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenUser {
    /// The token's user.
    pub user: String,
}

/// A row of `Token._viewer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    /// The signed-in user, if any.
    pub viewer: Option<String>,
}

#[concept]
impl Token {
    /// Issues a token for a user, lasting the concept's lifetime.
    #[secret(token)]
    #[infallible]
    pub async fn issue(&self, user: String) -> Result<Issued, ActionError> {
        let token = secrets::random_hex(32);
        sqlx::query("INSERT INTO tokens (digest, account, expires) VALUES ($1, $2, $3)")
            .bind(secrets::digest(&token))
            .bind(&user)
            .bind(unix_now().saturating_add(self.lifetime))
            .execute(&self.pool)
            .await?;
        Ok(Issued { token })
    }

    /// Ends one token.
    #[infallible]
    pub async fn revoke(&self, #[secret] token: String) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM tokens WHERE digest = $1")
            .bind(secrets::digest(&token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every token of `user` but the one in `authorization` (the
    /// password changed: a token someone else holds stops working).
    #[infallible]
    pub async fn revoke_others(
        &self,
        user: String,
        #[secret] authorization: String,
    ) -> Result<(), ActionError> {
        let kept = authorization
            .strip_prefix("Token ")
            .map(|token| secrets::digest(token.trim()));
        sqlx::query("DELETE FROM tokens WHERE account = $1 AND digest <> $2")
            .bind(&user)
            .bind(kept.unwrap_or_default())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user of an optional `Authorization` header: always one row,
    /// `None` without a (valid) token.
    pub async fn _viewer(
        &self,
        #[secret] authorization: Option<String>,
    ) -> Result<Option<Viewer>, ActionError> {
        let user = match authorization {
            Some(authorization) => self._user(authorization).await?.map(|row| row.user),
            None => None,
        };
        Ok(Some(Viewer { viewer: user }))
    }

    /// The user of an `Authorization: Token <token>` header's value.
    pub async fn _user(&self, #[secret] authorization: String) -> Result<Option<TokenUser>, ActionError> {
        let Some(token) = authorization.strip_prefix("Token ") else {
            return Ok(None);
        };
        // The digest is the table's key: at most one row.
        let user: Option<(String,)> =
            sqlx::query_as("SELECT account FROM tokens WHERE digest = $1 AND expires > $2")
                .bind(secrets::digest(token.trim()))
                .bind(unix_now())
                .fetch_optional(&self.pool)
                .await?;
        Ok(user.map(|(user,)| TokenUser { user }))
    }
}

/// Purpose: let a user keep up with others by following them.
pub struct Following {
    pool: Pool,
}

impl Following {
    /// The concept over an open database.
    pub fn new(pool: Pool) -> Self {
        Following { pool }
    }
}

/// A row of `Following._is_following`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowState {
    /// Whether the follower follows the followee.
    pub following: bool,
}

#[concept]
impl Following {
    /// `follower` follows `followee` (again is fine).
    #[infallible]
    pub async fn follow(&self, follower: String, followee: String) -> Result<(), ActionError> {
        sqlx::query("INSERT INTO follows (follower, followee) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(follower)
            .bind(followee)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// `follower` stops following `followee` (if it did).
    #[infallible]
    pub async fn unfollow(&self, follower: String, followee: String) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM follows WHERE follower = $1 AND followee = $2")
            .bind(follower)
            .bind(followee)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether a possibly anonymous viewer follows `followee`: one row.
    pub async fn _viewer_follows(
        &self,
        viewer: Option<String>,
        followee: String,
    ) -> Result<Option<FollowState>, ActionError> {
        match viewer {
            Some(follower) => self._is_following(follower, followee).await,
            None => Ok(Some(FollowState { following: false })),
        }
    }

    /// Whom `follower` follows: one row.
    pub async fn _followees(&self, follower: String) -> Result<Option<Ids>, ActionError> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT followee FROM follows WHERE follower = $1")
            .bind(follower)
            .fetch_all(&self.pool)
            .await?;
        Ok(Some(Ids {
            ids: Some(rows.into_iter().map(|(id,)| id).collect()),
        }))
    }

    /// Whether `follower` follows `followee`: always one row.
    pub async fn _is_following(
        &self,
        follower: String,
        followee: String,
    ) -> Result<Option<FollowState>, ActionError> {
        let (found,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM follows WHERE follower = $1 AND followee = $2")
                .bind(follower)
                .bind(followee)
                .fetch_one(&self.pool)
                .await?;
        Ok(Some(FollowState { following: found > 0 }))
    }
}

/// A set of ids as one row (`None`: no restriction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ids {
    /// The ids.
    pub ids: Option<Vec<String>>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Purpose: publish writing under a stable, readable address (its slug).
pub struct Article {
    pool: Pool,
    postgres: bool,
}

impl Article {
    /// The concept over an open database.
    pub fn new(pool: Pool) -> Self {
        let postgres = pool
            .connect_options()
            .database_url
            .scheme()
            .starts_with("postgres");
        Article { pool, postgres }
    }

    /// Why a change of the article at `slug` changed nothing: it is someone
    /// else's (it exists), or there is none (`Article.update`,
    /// `Article.remove`).
    async fn refusal_at(&self, slug: &str) -> ActionError {
        let exists: Result<Option<(String,)>, sqlx::Error> =
            sqlx::query_as("SELECT id FROM articles WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await;
        match exists {
            Ok(Some(_)) => ActionError::fail(NOT_THE_AUTHOR),
            Ok(None) => ActionError::fail(NO_SUCH_ARTICLE),
            Err(error) => error.into(),
        }
    }
}

/// The outcome of `Article.remove`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Removed {
    /// The article removed.
    pub article: String,
}

/// `Article.remove`'s error when no article has the slug.
pub const NO_SUCH_ARTICLE: &str = "no such article";
/// `Article.remove`'s error when someone else wrote the article.
pub const NOT_THE_AUTHOR: &str = "not the author of the article";
/// `Comment.remove_by`'s error when the target has no comment of that id.
pub const NO_SUCH_COMMENT: &str = "no such comment";
/// `Comment.remove_by`'s error when someone else wrote the comment.
pub const NOT_THE_COMMENTER: &str = "not the author of the comment";

/// The outcome of `Article.create` and `Article.update`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// The article's id.
    pub article: String,
    /// Its slug.
    pub slug: String,
}

/// An article as the queries return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ArticleRow {
    /// Id.
    pub article: String,
    /// Address.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub description: String,
    /// Text.
    pub body: String,
    /// The author's user id.
    pub author: String,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Last change, RFC 3339.
    pub updated: String,
}

/// An article as lists show it: without its body, which the API's lists
/// leave out (a page of long articles would be read and copied whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ArticleSummary {
    /// Id.
    pub article: String,
    /// Address.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub description: String,
    /// The author's user id.
    pub author: String,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Last change, RFC 3339.
    pub updated: String,
}

/// A count, as one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// How many.
    pub count: i64,
}

/// A title's words, lowercased, joined by `-`: the slug without its
/// suffix.
fn slug_words(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

const ARTICLE_COLUMNS: &str =
    "SELECT id AS article, slug, title, description, body, author, created, updated FROM articles";
const SUMMARY_COLUMNS: &str =
    "SELECT id AS article, slug, title, description, author, created, updated FROM articles";

/// `WHERE` conditions for optional id sets (placeholders numbered from 1),
/// and their values in order: each set is one JSON array, unpacked by the
/// database, so that a set of any size takes one placeholder (one per id
/// ran into SQLite's 32,766 and PostgreSQL's 65,535 placeholders: a tag on
/// more articles than that failed the listing).
fn restrict(postgres: bool, sets: [(&str, &Option<Vec<String>>); 2]) -> (String, Vec<String>) {
    let mut conditions = Vec::new();
    let mut values: Vec<String> = Vec::new();
    for (column, set) in sets {
        if let Some(set) = set {
            let n = values.len() + 1;
            conditions.push(if postgres {
                format!("{column} IN (SELECT json_array_elements_text(${n}::json))")
            } else {
                format!("{column} IN (SELECT value FROM json_each(${n}))")
            });
            values.push(serde_json::json!(set).to_string());
        }
    }
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    (clause, values)
}

#[concept]
impl Article {
    /// Publishes an article.
    #[infallible]
    pub async fn create(
        &self,
        author: String,
        title: String,
        description: String,
        body: String,
    ) -> Result<Published, ActionError> {
        let id = secrets::random_hex(16);
        let stamp = now();
        // The article's place in the list: a counter taken in one atomic
        // update, so that articles created at the same time on two
        // instances never share one (`MAX(seq) + 1` in the insert gave
        // them the same on PostgreSQL).
        let (seq,): (i64,) =
            sqlx::query_as("UPDATE counters SET value = value + 1 WHERE name = 'articles' RETURNING value")
                .fetch_one(&self.pool)
                .await?;
        // Suffixed with that place, which no other article has: two slugs
        // never collide (a random suffix could, and the insert then failed).
        let slug = format!("{}-{seq}", slug_words(&title));
        sqlx::query(
            "INSERT INTO articles (id, slug, title, description, body, author, created, updated, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(&slug)
        .bind(&title)
        .bind(&description)
        .bind(&body)
        .bind(&author)
        .bind(&stamp)
        .bind(&stamp)
        .bind(seq)
        .execute(&self.pool)
        .await?;
        Ok(Published { article: id, slug })
    }

    /// Changes the fields given of the article at `slug`, if `by` wrote it;
    /// a new title gives a new slug (the same title again keeps the slug,
    /// and the links to it). One action decides, as `remove` does: updated;
    /// no article at `slug`; someone else's.
    pub async fn update(
        &self,
        slug: String,
        by: String,
        title: Option<String>,
        description: Option<String>,
        body: Option<String>,
    ) -> Result<Published, ActionError> {
        // The new title's words, suffixed with the article's place as at
        // its creation.
        let words = title.as_deref().map(slug_words);
        let updated: Option<(String, String)> = sqlx::query_as(
            "UPDATE articles SET title = COALESCE($1, title), \
             slug = CASE WHEN $2 IS NULL OR title = $1 THEN slug ELSE $2 || '-' || CAST(seq AS TEXT) END, \
             description = COALESCE($3, description), body = COALESCE($4, body), updated = $5 \
             WHERE slug = $6 AND author = $7 RETURNING id, slug",
        )
        .bind(title)
        .bind(words)
        .bind(description)
        .bind(body)
        .bind(now())
        .bind(&slug)
        .bind(&by)
        .fetch_optional(&self.pool)
        .await?;
        if let Some((article, slug)) = updated {
            return Ok(Published { article, slug });
        }
        Err(self.refusal_at(&slug).await)
    }

    /// Removes the article at `slug` if `by` wrote it: one action decides,
    /// so that exactly one of its outcomes is answered (a lookup before a
    /// delete could see the article that a concurrent delete then took).
    pub async fn remove(&self, slug: String, by: String) -> Result<Removed, ActionError> {
        let removed: Option<(String,)> =
            sqlx::query_as("DELETE FROM articles WHERE slug = $1 AND author = $2 RETURNING id")
                .bind(&slug)
                .bind(&by)
                .fetch_optional(&self.pool)
                .await?;
        if let Some((article,)) = removed {
            return Ok(Removed { article });
        }
        Err(self.refusal_at(&slug).await)
    }

    /// The article at this slug.
    pub async fn _by_slug(&self, slug: String) -> Result<Option<ArticleRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{ARTICLE_COLUMNS} WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The article with this id.
    pub async fn _by_id(&self, article: String) -> Result<Option<ArticleRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{ARTICLE_COLUMNS} WHERE id = $1"))
            .bind(article)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Articles, newest first, by any of `authors` and among `only` (each
    /// `None` for no restriction).
    pub async fn _list(
        &self,
        authors: Option<Vec<String>>,
        only: Option<Vec<String>>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ArticleSummary>, ActionError> {
        let (clause, values) = restrict(self.postgres, [("author", &authors), ("id", &only)]);
        let next = values.len() + 1;
        let sql = format!(
            // `id` breaks ties: places handed out before the counter (see
            // `create`) repeat on PostgreSQL, and pages must not overlap.
            "{SUMMARY_COLUMNS}{clause} ORDER BY seq DESC, id DESC LIMIT ${next} OFFSET ${}",
            next + 1
        );
        let mut query = sqlx::query_as(&sql);
        for value in values {
            query = query.bind(value);
        }
        Ok(query
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(&self.pool)
            .await?)
    }

    /// How many articles `_list` would find without a limit: one row.
    pub async fn _count(
        &self,
        authors: Option<Vec<String>>,
        only: Option<Vec<String>>,
    ) -> Result<Option<Count>, ActionError> {
        let (clause, values) = restrict(self.postgres, [("author", &authors), ("id", &only)]);
        let sql = format!("SELECT COUNT(*) FROM articles{clause}");
        let mut query = sqlx::query_as::<_, (i64,)>(&sql);
        for value in values {
            query = query.bind(value);
        }
        let (count,) = query.fetch_one(&self.pool).await?;
        Ok(Some(Count { count }))
    }
}

/// Purpose: find writing by topic.
pub struct Tagging {
    pool: Pool,
}

impl Tagging {
    /// The concept over an open database.
    pub fn new(pool: Pool) -> Self {
        Tagging { pool }
    }
}

/// A list of tags, as one row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tags {
    /// The tags, in alphabetical order.
    pub tags: Vec<String>,
}

#[concept]
impl Tagging {
    /// Tags an item: with all of `tags` or, if anything fails (or the flow
    /// is cut at its deadline), none.
    #[infallible]
    pub async fn tag(&self, item: String, tags: Vec<String>) -> Result<(), ActionError> {
        let mut transaction = self.pool.begin().await?;
        for tag in tags {
            sqlx::query("INSERT INTO tags (article, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(&item)
                .bind(tag)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Takes every tag off an item.
    #[infallible]
    pub async fn forget(&self, item: String) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM tags WHERE article = $1")
            .bind(item)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// An item's tags: one row.
    pub async fn _tags_of(&self, item: String) -> Result<Option<Tags>, ActionError> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT tag FROM tags WHERE article = $1 ORDER BY tag")
            .bind(item)
            .fetch_all(&self.pool)
            .await?;
        Ok(Some(Tags {
            tags: rows.into_iter().map(|(tag,)| tag).collect(),
        }))
    }

    /// Every tag in use: one row.
    pub async fn _all(&self) -> Result<Option<Tags>, ActionError> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT tag FROM tags ORDER BY tag")
            .fetch_all(&self.pool)
            .await?;
        Ok(Some(Tags {
            tags: rows.into_iter().map(|(tag,)| tag).collect(),
        }))
    }

    /// The items with a tag (`None` for no tag given: no restriction).
    pub async fn _tagged(&self, tag: Option<String>) -> Result<Option<Ids>, ActionError> {
        let Some(tag) = tag else {
            return Ok(Some(Ids { ids: None }));
        };
        let rows: Vec<(String,)> = sqlx::query_as("SELECT article FROM tags WHERE tag = $1")
            .bind(tag)
            .fetch_all(&self.pool)
            .await?;
        Ok(Some(Ids {
            ids: Some(rows.into_iter().map(|(id,)| id).collect()),
        }))
    }
}

/// Purpose: keep track of the writing a user likes, and how liked it is.
pub struct Favoriting {
    pool: Pool,
}

impl Favoriting {
    /// The concept over an open database.
    pub fn new(pool: Pool) -> Self {
        Favoriting { pool }
    }
}

/// A row of `Favoriting._state`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FavoriteState {
    /// Whether the viewer likes the item.
    pub favorited: bool,
    /// How many users like it.
    pub count: i64,
}

#[concept]
impl Favoriting {
    /// `user` likes `item` (again is fine).
    #[infallible]
    pub async fn favorite(&self, user: String, item: String) -> Result<(), ActionError> {
        sqlx::query("INSERT INTO favorites (account, article) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user)
            .bind(item)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Nobody likes `item` any more (it is gone).
    #[infallible]
    pub async fn forget(&self, item: String) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM favorites WHERE article = $1")
            .bind(item)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// `user` no longer likes `item`.
    #[infallible]
    pub async fn unfavorite(&self, user: String, item: String) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM favorites WHERE account = $1 AND article = $2")
            .bind(user)
            .bind(item)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether a possibly anonymous viewer likes `item`, and its count: one row.
    pub async fn _state(
        &self,
        viewer: Option<String>,
        item: String,
    ) -> Result<Option<FavoriteState>, ActionError> {
        // One read, so that the flag and the count agree with each other
        // while others favorite the article (a viewer's favorite counted
        // but not flagged, or the reverse, from two reads).
        let (count, own): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(CASE WHEN account = $2 THEN 1 END) FROM favorites WHERE article = $1",
        )
        .bind(&item)
        .bind(viewer)
        .fetch_one(&self.pool)
        .await?;
        let favorited = own > 0;
        Ok(Some(FavoriteState { favorited, count }))
    }

    /// The items any of `users` likes (`None` for no users given): one row.
    pub async fn _liked_by(&self, users: Option<Vec<String>>) -> Result<Option<Ids>, ActionError> {
        let Some(users) = users else {
            return Ok(Some(Ids { ids: None }));
        };
        let mut liked = Vec::new();
        for user in users {
            let rows: Vec<(String,)> = sqlx::query_as("SELECT article FROM favorites WHERE account = $1")
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
            liked.extend(rows.into_iter().map(|(id,)| id));
        }
        Ok(Some(Ids { ids: Some(liked) }))
    }
}

/// Purpose: let readers respond to a piece of writing.
pub struct Comment {
    pool: Pool,
}

impl Comment {
    /// The concept over an open database.
    pub fn new(pool: Pool) -> Self {
        Comment { pool }
    }
}

/// The outcome of `Comment.add`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Added {
    /// The new comment's id.
    pub comment: i64,
}

/// A comment as the queries return it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CommentRow {
    /// Id.
    pub comment: i64,
    /// What it comments on.
    pub target: String,
    /// Its author's user id.
    pub author: String,
    /// Text.
    pub body: String,
    /// Creation time, RFC 3339.
    pub created: String,
    /// Last change, RFC 3339.
    pub updated: String,
}

const COMMENT_COLUMNS: &str =
    "SELECT id AS comment, article AS target, author, body, created, updated FROM comments";

#[concept]
impl Comment {
    /// Adds a comment to `target`.
    #[infallible]
    pub async fn add(&self, target: String, author: String, body: String) -> Result<Added, ActionError> {
        let stamp = now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO comments (article, author, body, created, updated) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(target)
        .bind(author)
        .bind(body)
        .bind(&stamp)
        .bind(&stamp)
        .fetch_one(&self.pool)
        .await?;
        Ok(Added { comment: id })
    }

    /// Removes a comment.
    #[infallible]
    pub async fn remove(&self, comment: i64) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM comments WHERE id = $1")
            .bind(comment)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes the comment `comment` on `target` if `by` wrote it: one
    /// action decides (removed; no such comment there; someone else's), so
    /// that exactly one of its outcomes is answered.
    pub async fn remove_by(&self, comment: i64, target: String, by: String) -> Result<(), ActionError> {
        let removed = sqlx::query("DELETE FROM comments WHERE id = $1 AND article = $2 AND author = $3")
            .bind(comment)
            .bind(&target)
            .bind(&by)
            .execute(&self.pool)
            .await?;
        if removed.rows_affected() > 0 {
            return Ok(());
        }
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM comments WHERE id = $1 AND article = $2")
            .bind(comment)
            .bind(&target)
            .fetch_optional(&self.pool)
            .await?;
        Err(ActionError::fail(match exists {
            Some(_) => NOT_THE_COMMENTER,
            None => NO_SUCH_COMMENT,
        }))
    }

    /// Removes every comment on `target`.
    #[infallible]
    pub async fn remove_all(&self, target: String) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM comments WHERE article = $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The comments on `target`, oldest first.
    pub async fn _on(&self, target: String) -> Result<Vec<CommentRow>, ActionError> {
        Ok(
            sqlx::query_as(&format!("{COMMENT_COLUMNS} WHERE article = $1 ORDER BY id"))
                .bind(target)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The comment with this id.
    pub async fn _by_id(&self, comment: i64) -> Result<Option<CommentRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{COMMENT_COLUMNS} WHERE id = $1"))
            .bind(comment)
            .fetch_optional(&self.pool)
            .await?)
    }
}

/// Registers every RealWorld concept, all over one database pool.
pub fn register(builder: syncs_runtime::EngineBuilder, pool: Pool) -> syncs_runtime::EngineBuilder {
    builder
        .concept(User::new(pool.clone()))
        .concept(Password::new(pool.clone()))
        .concept(Token::new(pool.clone()))
        .concept(Following::new(pool.clone()))
        .concept(Article::new(pool.clone()))
        .concept(Tagging::new(pool.clone()))
        .concept(Favoriting::new(pool.clone()))
        .concept(Comment::new(pool))
}
