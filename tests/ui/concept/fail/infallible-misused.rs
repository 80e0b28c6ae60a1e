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
    #[infallible]
    pub async fn _find(&self, name: String) -> Vec<Row> {
        vec![Row { name }]
    }

    #[infallible(always)]
    pub async fn make(&self, name: String) -> Result<(), ActionError> {
        let _ = name;
        Ok(())
    }
}

fn main() {}
