//! In-memory `UserAuthentication` and `Sessioning`: the concepts of the seed's
//! auth syncs, with their state in memory (tests and benchmarks use these).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use syncs_runtime::{concept, ActionError};

#[path = "outcomes.rs"]
mod outcomes;
pub use outcomes::{Authenticated, Created, SessionUser, UsernameRow};

/// An engine builder with both concepts registered, each empty (the seed's
/// syncs go on top: `syncs::register(concepts::in_memory())`).
pub fn in_memory() -> syncs_runtime::EngineBuilder {
    syncs_runtime::Engine::builder()
        .concept(UserAuthentication::default())
        .concept(Sessioning::default())
}

/// Users with a username and a password.
#[derive(Default)]
pub struct UserAuthentication {
    users: Mutex<HashMap<String, StoredUser>>,
    next_id: AtomicU64,
}

struct StoredUser {
    id: String,
    password: String,
}

#[concept]
impl UserAuthentication {
    /// Registers a new user; fails if the username is taken.
    pub async fn register(
        &self,
        username: String,
        #[secret] password: String,
    ) -> Result<Authenticated, ActionError> {
        let mut users = self.users.lock().map_err(ActionError::internal)?;
        if users.contains_key(&username) {
            return Err(ActionError::fail(format!("username {username} is already taken")));
        }
        let id = format!("user-{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        users.insert(
            username,
            StoredUser {
                id: id.clone(),
                password,
            },
        );
        Ok(Authenticated { user: id })
    }

    /// Checks a username and password.
    pub async fn login(
        &self,
        username: String,
        #[secret] password: String,
    ) -> Result<Authenticated, ActionError> {
        let users = self.users.lock().map_err(ActionError::internal)?;
        match users.get(&username) {
            Some(stored) if stored.password == password => Ok(Authenticated {
                user: stored.id.clone(),
            }),
            _ => Err(ActionError::fail("wrong username or password")),
        }
    }

    /// The username of a user id (no rows if unknown).
    pub async fn _get_username(&self, user: String) -> Option<UsernameRow> {
        let users = self.users.lock().ok()?;
        users
            .iter()
            .find(|(_, stored)| stored.id == user)
            .map(|(username, _)| UsernameRow {
                username: username.clone(),
            })
    }
}

/// Sessions: a token per logged-in user.
#[derive(Default)]
pub struct Sessioning {
    sessions: Mutex<HashMap<String, String>>,
    next_id: AtomicU64,
}

#[concept]
impl Sessioning {
    /// Starts a session for a user. The token is a secret: traces hide it.
    #[secret(session)]
    #[infallible]
    pub async fn create(&self, user: String) -> Result<Created, ActionError> {
        let session = format!("session-{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1);
        self.sessions
            .lock()
            .map_err(ActionError::internal)?
            .insert(session.clone(), user);
        Ok(Created { session })
    }

    /// Ends a session; fails if there is no such session.
    pub async fn delete(&self, #[secret] session: String) -> Result<(), ActionError> {
        match self
            .sessions
            .lock()
            .map_err(ActionError::internal)?
            .remove(&session)
        {
            Some(_) => Ok(()),
            None => Err(ActionError::fail(format!("no session {session}"))),
        }
    }

    /// The user of a session (no rows if unknown).
    pub async fn _get_user(&self, #[secret] session: String) -> Option<SessionUser> {
        let sessions = self.sessions.lock().ok()?;
        sessions
            .get(&session)
            .map(|user| SessionUser { user: user.clone() })
    }
}
