#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Thing;

#[concept]
impl Thing {
    pub fn make(&self, name: String) -> Result<(), ActionError> {
        let _ = name;
        Ok(())
    }
}

fn main() {}
