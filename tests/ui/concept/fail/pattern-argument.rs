#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Thing;

#[concept]
impl Thing {
    pub async fn make(&self, (first, last): (String, String)) -> Result<(), ActionError> {
        let _ = (first, last);
        Ok(())
    }
}

fn main() {}
