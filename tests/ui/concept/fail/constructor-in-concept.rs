#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

#[derive(Default)]
pub struct Counter {
    start: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Counted {
    pub count: u64,
}

#[concept]
impl Counter {
    pub fn new(start: u64) -> Self {
        Counter { start }
    }

    #[infallible]
    pub async fn count(&self) -> Result<Counted, ActionError> {
        Ok(Counted { count: self.start })
    }
}

fn main() {}
