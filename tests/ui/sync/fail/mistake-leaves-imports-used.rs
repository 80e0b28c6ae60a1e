#[path = "../../concepts.rs"]
mod concepts;
// Without `#[allow(unused_imports)]`: a sync with a mistake still uses the
// concepts it names, so the error comes without an "unused import" warning.
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Answer
    when
        Requesting.request (path: "/x") : (request)
        Accounts.register () : (error)
    then
        Requesting.respond (request, error: mistake)
}

fn main() {}
