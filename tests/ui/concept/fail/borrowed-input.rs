#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

pub struct Accounts;

#[concept]
impl Accounts {
    pub async fn login(&self, username: &str, tags: Vec<&str>) -> Result<(), ActionError> {
        let _ = (username, tags);
        Ok(())
    }
}

fn main() {}
