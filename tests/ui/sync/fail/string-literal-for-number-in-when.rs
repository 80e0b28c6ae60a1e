use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, sync, ActionError};

#[derive(Default)]
pub struct Polls;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub votes: u32,
}

#[concept]
impl Polls {
    pub async fn vote(&self, poll: String) -> Result<Tally, ActionError> {
        let _ = poll;
        Ok(Tally { votes: 1 })
    }

    pub async fn close(&self, poll: String) -> Result<(), ActionError> {
        let _ = poll;
        Ok(())
    }

    pub async fn limit(&self, poll: String, votes: u32) -> Result<(), ActionError> {
        let _ = (poll, votes);
        Ok(())
    }
}

sync! {
    pub CloseAtThree
    when
        Polls.vote (poll) : (votes: "3")
    then
        Polls.close (poll)
}

sync! {
    pub CloseAtLimit
    when
        Polls.limit (poll, votes: "3") : ()
    then
        Polls.close (poll)
}

fn main() {}
