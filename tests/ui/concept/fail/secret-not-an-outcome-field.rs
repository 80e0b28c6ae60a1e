#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Sessions;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub session: String,
}

#[concept]
impl Sessions {
    #[secret(sesion)]
    pub async fn create(&self, user: String) -> Result<Session, ActionError> {
        Ok(Session { session: user })
    }
}

fn main() {}
