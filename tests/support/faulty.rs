//! A concept whose actions fail in every way an action can, and the request
//! syncs that reach them; shared by the semantics and reliability tests.

use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, sync, ActionError};

#[derive(Default)]
pub struct Faulty;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Echoed {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub value: u32,
}

#[concept]
impl Faulty {
    /// An internal failure whose message names internals (which must not leak).
    pub async fn crash(&self) -> Result<(), ActionError> {
        Err(ActionError::internal("connection to db-7.internal refused"))
    }

    pub async fn panic(&self) -> Result<(), ActionError> {
        panic!("a bug in a concept")
    }

    pub async fn hang(&self) -> Result<(), ActionError> {
        std::future::pending::<()>().await;
        Ok(())
    }

    pub async fn echo(&self, text: String) -> Result<Echoed, ActionError> {
        Ok(Echoed { text })
    }

    pub async fn _broken(&self) -> Result<Vec<Row>, ActionError> {
        Err(ActionError::internal("the index is corrupt"))
    }
}

sync! {
    pub Crash
    when
        Requesting.request (path: "/crash") : ()
    then
        Faulty.crash ()

    pub Panic
    when
        Requesting.request (path: "/panic") : ()
    then
        Faulty.panic ()
}
