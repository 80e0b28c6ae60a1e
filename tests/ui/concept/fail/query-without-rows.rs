#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Thing;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub name: String,
}

#[concept]
impl Thing {
    pub async fn _find(&self, name: String) -> Row {
        Row { name }
    }
}

fn main() {}
