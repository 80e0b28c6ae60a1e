#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Thing;

#[concept]
impl Thing {
    pub async fn make(&self, name: String) -> Result<(String, u32), ActionError> {
        Ok((name, 1))
    }
}

fn main() {}
