#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

#[derive(Default)]
pub struct Things;

pub struct Made {
    pub thing: String,
}

#[concept]
impl Things {
    pub async fn make(&self, name: String) -> Result<Made, ActionError> {
        Ok(Made { thing: name })
    }
}

fn main() {}
