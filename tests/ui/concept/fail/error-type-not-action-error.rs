#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

#[derive(Default)]
pub struct Things;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Made {
    pub thing: String,
}

#[concept]
impl Things {
    pub async fn make(&self, name: String) -> Result<Made, String> {
        Ok(Made { thing: name })
    }

    pub async fn remake(&self, name: String) -> Result<Made, Box<dyn std::error::Error>> {
        Ok(Made { thing: name })
    }

    pub async fn _made(&self, name: String) -> Result<Vec<Made>, String> {
        Ok(vec![Made { thing: name }])
    }
}

fn main() {}
