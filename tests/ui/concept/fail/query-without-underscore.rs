#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Notes;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
}

// Rows are a query's shape, and a query's name starts with `_`.
#[concept]
impl Notes {
    pub async fn by_owner(&self, owner: i64) -> Vec<Note> {
        let _ = owner;
        Vec::new()
    }
}

fn main() {}
