//! `UserAuthentication` and `Sessioning` with their state in SQL (SQLite by
//! default): the concepts of the auth app server. Passwords are hashed with
//! argon2id and a per-user salt; session tokens are 256 random bits from the
//! operating system's generator, stored only as their SHA-256 digest, so the
//! database never holds a usable token and a lookup compares digests, not the
//! secret itself.

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use syncs_runtime::{concept, ActionError};

#[path = "../support/secrets.rs"]
mod secrets;

#[path = "outcomes.rs"]
mod outcomes;
pub use outcomes::{Authenticated, Created, SessionUser, UsernameRow};

/// Opens (creating if needed) the database at `url`, e.g. `sqlite://auth.db`.
pub async fn open(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        // WAL: a commit is in the log before its action completes, so a
        // killed server keeps every answered registration (with NORMAL
        // sync, a power loss or an OS crash may take the last commits).
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS users (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL
        )",
    )
    .execute(&pool)
    .await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS sessions (digest TEXT PRIMARY KEY, user TEXT NOT NULL)")
        .execute(&pool)
        .await?;
    Ok(pool)
}

/// Users with a username and a password.
pub struct UserAuthentication {
    pool: SqlitePool,
}

impl UserAuthentication {
    /// The concept over an open database.
    pub fn new(pool: SqlitePool) -> Self {
        UserAuthentication { pool }
    }
}

#[concept]
impl UserAuthentication {
    /// Registers a new user; fails if the username is taken.
    pub async fn register(
        &self,
        username: String,
        #[secret] password: String,
    ) -> Result<Authenticated, ActionError> {
        if username.trim().is_empty() || password.is_empty() {
            return Err(ActionError::fail("username and password must not be empty"));
        }
        let hash = secrets::hash_password(password).await?;
        let id = secrets::random_hex(16);
        let inserted = sqlx::query("INSERT INTO users (id, username, password_hash) VALUES (?, ?, ?)")
            .bind(&id)
            .bind(&username)
            .bind(&hash)
            .execute(&self.pool)
            .await;
        match inserted {
            Ok(_) => Ok(Authenticated { user: id }),
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                Err(ActionError::fail(format!("username {username} is already taken")))
            }
            Err(error) => Err(ActionError::internal(error)),
        }
    }

    /// Checks a username and password.
    pub async fn login(
        &self,
        username: String,
        #[secret] password: String,
    ) -> Result<Authenticated, ActionError> {
        let stored: Option<(String, String)> =
            sqlx::query_as("SELECT id, password_hash FROM users WHERE username = ?")
                .bind(&username)
                .fetch_optional(&self.pool)
                .await?;
        let Some((id, hash)) = stored else {
            // As long as a wrong password takes: the time of an answer does
            // not tell whether the username exists.
            secrets::verify_against_nothing(password).await?;
            return Err(ActionError::fail("wrong username or password"));
        };
        // Verification compares in constant time.
        let valid = secrets::verify_password(password, hash).await?;
        if valid {
            Ok(Authenticated { user: id })
        } else {
            Err(ActionError::fail("wrong username or password"))
        }
    }

    /// The username of a user id (no rows if unknown).
    pub async fn _get_username(&self, user: String) -> Result<Option<UsernameRow>, ActionError> {
        let name: Option<(String,)> = sqlx::query_as("SELECT username FROM users WHERE id = ?")
            .bind(&user)
            .fetch_optional(&self.pool)
            .await?;
        Ok(name.map(|(username,)| UsernameRow { username }))
    }
}

/// Sessions: an unguessable token per logged-in user.
pub struct Sessioning {
    pool: SqlitePool,
}

impl Sessioning {
    /// The concept over an open database.
    pub fn new(pool: SqlitePool) -> Self {
        Sessioning { pool }
    }
}

#[concept]
impl Sessioning {
    /// Starts a session for a user. The token is a secret: traces hide it.
    #[secret(session)]
    #[infallible]
    pub async fn create(&self, user: String) -> Result<Created, ActionError> {
        let session = secrets::random_hex(32);
        sqlx::query("INSERT INTO sessions (digest, user) VALUES (?, ?)")
            .bind(secrets::digest(&session))
            .bind(&user)
            .execute(&self.pool)
            .await?;
        Ok(Created { session })
    }

    /// Ends a session; fails if there is no such session.
    pub async fn delete(&self, #[secret] session: String) -> Result<(), ActionError> {
        let deleted = sqlx::query("DELETE FROM sessions WHERE digest = ?")
            .bind(secrets::digest(&session))
            .execute(&self.pool)
            .await?;
        if deleted.rows_affected() == 0 {
            return Err(ActionError::fail("no such session"));
        }
        Ok(())
    }

    /// The user of a session (no rows if unknown).
    pub async fn _get_user(&self, #[secret] session: String) -> Result<Option<SessionUser>, ActionError> {
        let user: Option<(String,)> = sqlx::query_as("SELECT user FROM sessions WHERE digest = ?")
            .bind(secrets::digest(&session))
            .fetch_optional(&self.pool)
            .await?;
        Ok(user.map(|(user,)| SessionUser { user }))
    }
}
