#![allow(unused_imports)]
use serde::{Deserialize, Serialize};
use syncs_runtime::{concept, sync, ActionError, Engine};

#[derive(Default)]
pub struct Things;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Made {
    pub thing: String,
}

// One fn has a mistake; the concept's other actions still work, so the
// only errors are the fn's own and the one use of it.
#[concept]
impl Things {
    pub async fn make(&self, name: String) -> Result<Made, ActionError> {
        Ok(Made { thing: name })
    }

    pub async fn remake(&self, name: String) -> Result<Made, String> {
        Ok(Made { thing: name })
    }
}

sync! {
    pub Make
    when
        Requesting.request (path: "/make", name) : (request)
    then
        Things.make (name)

    pub Remake
    when
        Requesting.request (path: "/remake", name) : (request)
    then
        Things.remake (name)
}

fn main() {
    let _ = Engine::builder().concept(Things).sync(Make);
}
