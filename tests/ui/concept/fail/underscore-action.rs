#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Counter;

#[concept]
impl Counter {
    pub async fn _reset(&self) -> Result<(), ActionError> {
        Ok(())
    }
}

fn main() {}
