#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, ActionError};

#[derive(Default)]
pub struct Polls;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Poll {
    pub question: String,
}

#[concept]
impl Polls {
    pub async fn _options(&self, poll: u64) -> Vec<String> {
        vec![poll.to_string()]
    }

    pub async fn _get(&self, poll: u64) -> Vec<Poll> {
        vec![Poll { question: poll.to_string() }]
    }
}

fn main() {}
