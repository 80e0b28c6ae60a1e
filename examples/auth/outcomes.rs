//! The outcome and row types of the auth concepts, shared by their in-memory
//! and SQL versions (the syncs see the same fields either way).

use serde::{Deserialize, Serialize};

/// The outcome of a successful registration or login: the user's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authenticated {
    /// The user's id.
    pub user: String,
}

/// A row of `_get_username`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsernameRow {
    /// The user's name.
    pub username: String,
}

/// The outcome of `Sessioning.create`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Created {
    /// The new session's token.
    pub session: String,
}

/// A row of `_get_user`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    /// The session's user.
    pub user: String,
}
