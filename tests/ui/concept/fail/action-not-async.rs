#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, sync, ActionError};

pub struct Thing;

#[concept]
impl Thing {
    pub fn make(&self, name: String) -> Result<(), ActionError> {
        let _ = name;
        Ok(())
    }
    pub fn _named(&self, name: String) -> Vec<Named> {
        vec![Named { name }]
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
}

// A sync naming the action adds no error of its own: the one above is the
// only thing to fix.
sync! {
    pub MakeOnRequest
    when
        Requesting.request (path: "/make", name) : (request)
    where
        Thing._named (name) : (name: made)
    then
        Thing.make (name: made)
}

fn main() {}
