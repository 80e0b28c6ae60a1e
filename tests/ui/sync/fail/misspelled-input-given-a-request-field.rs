#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// The value comes from a field of the request, whose type the input gives:
// the misspelled input is one error, like any other.
sync! {
    pub CreateForUser
    when
        Requesting.request (path: "/sessions", user) : (request)
    then
        Sessions.create (usr: user)
}

fn main() {}
