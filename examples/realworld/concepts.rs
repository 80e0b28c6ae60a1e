//! The concepts of the RealWorld ("Conduit") backend, with their state in
//! SQLite. Each is independent: none names another.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;
use syncs_runtime::{concept, ActionError};

/// Opens (creating if needed) the database at `url` and its tables.
pub async fn open(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    for statement in [
        "CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, \
         email TEXT NOT NULL UNIQUE, bio TEXT, image TEXT)",
        "CREATE TABLE IF NOT EXISTS passwords (user TEXT PRIMARY KEY, hash TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS tokens (digest BLOB PRIMARY KEY, user TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS follows (follower TEXT NOT NULL, followee TEXT NOT NULL, \
         PRIMARY KEY (follower, followee))",
    ] {
        sqlx::query(statement).execute(&pool).await?;
    }
    Ok(pool)
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buffer);
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Purpose: people known by a unique username and email, with a profile.
pub struct User {
    pool: SqlitePool,
}

impl User {
    /// The concept over an open database.
    pub fn new(pool: SqlitePool) -> Self {
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

const USER_COLUMNS: &str = "SELECT id AS user, username, email, bio, image FROM users";

#[concept]
impl User {
    /// Registers a user; fails if the username or email is taken.
    pub async fn register(&self, username: String, email: String) -> Result<Registered, ActionError> {
        let id = random_hex(16);
        let inserted = sqlx::query("INSERT INTO users (id, username, email) VALUES (?, ?, ?)")
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
            "UPDATE users SET username = COALESCE(?, username), email = COALESCE(?, email), \
             bio = COALESCE(?, bio), image = COALESCE(?, image) WHERE id = ?",
        )
        .bind(username)
        .bind(email)
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
    pub async fn _by_id(&self, user: String) -> Result<Vec<UserRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{USER_COLUMNS} WHERE id = ?"))
            .bind(user)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The user with this username.
    pub async fn _by_username(&self, username: String) -> Result<Vec<UserRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{USER_COLUMNS} WHERE username = ?"))
            .bind(username)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The user with this email.
    pub async fn _by_email(&self, email: String) -> Result<Vec<UserRow>, ActionError> {
        Ok(sqlx::query_as(&format!("{USER_COLUMNS} WHERE email = ?"))
            .bind(email)
            .fetch_all(&self.pool)
            .await?)
    }
}

/// Purpose: prove who you are with a secret only you know.
pub struct Password {
    pool: SqlitePool,
}

impl Password {
    /// The concept over an open database.
    pub fn new(pool: SqlitePool) -> Self {
        Password { pool }
    }
}

#[concept]
impl Password {
    /// Sets a user's password (argon2id, per-user salt).
    pub async fn set(&self, user: String, #[secret] password: String) -> Result<(), ActionError> {
        let hash = tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
        })
        .await
        .map_err(ActionError::internal)?
        .map_err(ActionError::internal)?;
        sqlx::query("INSERT INTO passwords (user, hash) VALUES (?, ?) ON CONFLICT(user) DO UPDATE SET hash = excluded.hash")
            .bind(&user)
            .bind(hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Checks a user's password (in constant time).
    pub async fn check(&self, user: String, #[secret] password: String) -> Result<(), ActionError> {
        let stored: Option<(String,)> = sqlx::query_as("SELECT hash FROM passwords WHERE user = ?")
            .bind(&user)
            .fetch_optional(&self.pool)
            .await?;
        let Some((hash,)) = stored else {
            return Err(ActionError::fail("email or password is invalid"));
        };
        let valid = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash).map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .await
        .map_err(ActionError::internal)?
        .map_err(ActionError::internal)?;
        if valid {
            Ok(())
        } else {
            Err(ActionError::fail("email or password is invalid"))
        }
    }
}

/// Purpose: let a client act as a user without sending the password again.
pub struct Token {
    pool: SqlitePool,
}

impl Token {
    /// The concept over an open database.
    pub fn new(pool: SqlitePool) -> Self {
        Token { pool }
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

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[concept]
impl Token {
    /// Issues a token for a user.
    #[secret(token)]
    pub async fn issue(&self, user: String) -> Result<Issued, ActionError> {
        let token = random_hex(32);
        sqlx::query("INSERT INTO tokens (digest, user) VALUES (?, ?)")
            .bind(digest(&token))
            .bind(&user)
            .execute(&self.pool)
            .await?;
        Ok(Issued { token })
    }

    /// The user of an `Authorization: Token <token>` header's value.
    pub async fn _user(&self, #[secret] authorization: String) -> Result<Vec<TokenUser>, ActionError> {
        let Some(token) = authorization.strip_prefix("Token ") else {
            return Ok(Vec::new());
        };
        let users: Vec<(String,)> = sqlx::query_as("SELECT user FROM tokens WHERE digest = ?")
            .bind(digest(token.trim()))
            .fetch_all(&self.pool)
            .await?;
        Ok(users.into_iter().map(|(user,)| TokenUser { user }).collect())
    }
}

/// Purpose: let a user keep up with others by following them.
pub struct Following {
    pool: SqlitePool,
}

impl Following {
    /// The concept over an open database.
    pub fn new(pool: SqlitePool) -> Self {
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
    pub async fn follow(&self, follower: String, followee: String) -> Result<(), ActionError> {
        sqlx::query("INSERT OR IGNORE INTO follows (follower, followee) VALUES (?, ?)")
            .bind(follower)
            .bind(followee)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// `follower` stops following `followee` (if it did).
    pub async fn unfollow(&self, follower: String, followee: String) -> Result<(), ActionError> {
        sqlx::query("DELETE FROM follows WHERE follower = ? AND followee = ?")
            .bind(follower)
            .bind(followee)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether `follower` follows `followee`: always one row.
    pub async fn _is_following(
        &self,
        follower: String,
        followee: String,
    ) -> Result<Vec<FollowState>, ActionError> {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM follows WHERE follower = ? AND followee = ?")
                .bind(follower)
                .bind(followee)
                .fetch_optional(&self.pool)
                .await?;
        Ok(vec![FollowState {
            following: found.is_some(),
        }])
    }
}
