// Small concepts shared by the UI tests.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

#[derive(Default)]
pub struct Accounts;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub user: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Name {
    pub name: String,
}

#[concept]
impl Accounts {
    pub async fn register(&self, username: String, password: String) -> Result<Account, ActionError> {
        let _ = password;
        Ok(Account { user: username })
    }

    pub async fn _get_name(&self, user: String) -> Vec<Name> {
        vec![Name { name: user }]
    }
}

#[derive(Default)]
pub struct Sessions;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub session: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub count: u32,
}

#[concept]
impl Sessions {
    pub async fn create(&self, user: String) -> Result<Session, ActionError> {
        Ok(Session { session: user })
    }

    /// Deleting a session that is gone already is no error.
    #[infallible]
    pub async fn delete(&self, session: String) -> Result<(), ActionError> {
        let _ = session;
        Ok(())
    }

    pub async fn _count(&self, user: String) -> Vec<Count> {
        let _ = user;
        vec![Count { count: 1 }]
    }
}
