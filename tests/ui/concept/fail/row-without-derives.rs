#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::concept;

#[derive(Default)]
pub struct Polls;

pub struct Poll {
    pub question: String,
}

#[concept]
impl Polls {
    pub async fn _get(&self, poll: u64) -> Vec<Poll> {
        vec![Poll { question: poll.to_string() }]
    }
}

fn main() {}
