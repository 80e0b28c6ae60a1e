#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

const TAKEN: &str = "username is taken";

// Each sync writes a name like a Rust constant where a sync's variable
// goes; each is one error, at the name, saying what to write instead.
sync! {
    // In a pattern: Rust would compare with the constant; a sync would
    // bind a new variable matching every error.
    pub RespondTaken
    when
        Requesting.request (path: "/register") : (request)
        Accounts.register () : (error: TAKEN)
    then
        Requesting.respond (request, http_status: 409)

    // Given to an action.
    pub RespondWithConstant
    when
        Requesting.request (path: "/register") : (request)
        Accounts.register () : (error)
    then
        Requesting.respond (request, error: TAKEN)

    // A request field spelled in capitals, without a variable.
    pub ReadsCapitals
    when
        Requesting.request (path: "/capitals", ID) : (request)
    then
        Requesting.respond (request, done: true)

    // A `let` named like a constant.
    pub LetInCapitals
    when
        Requesting.request (path: "/count") : (request)
    where
        let COUNT = 3
    then
        Requesting.respond (request, count: COUNT)
}

fn main() {}
