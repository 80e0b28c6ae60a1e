#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Thing;

#[concept]
impl Thing {
    pub async fn make(&self, name: String) -> String {
        name
    }
}

fn main() {}
