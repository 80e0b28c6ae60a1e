// A type of the user's own already has a name the concept's generated types
// take (`SearchQuery`, the concept `Search`'s query enum).
use syncs_runtime::{concept, ActionError};

pub struct SearchQuery {
    pub text: String,
}

pub struct Search;

#[concept]
impl Search {
    pub async fn run(&self, text: String) -> Result<(), ActionError> {
        let _ = text;
        Ok(())
    }
}

fn main() {}
