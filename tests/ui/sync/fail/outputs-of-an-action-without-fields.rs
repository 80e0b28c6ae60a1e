#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `Sessions.delete` succeeds with `()`; `session` is its input, written
// after the colon as if it were an output.
sync! {
    pub LoggedOut
    when
        Requesting.request (path: "/logout") : (request)
        Sessions.delete () : (session)
    then
        Requesting.respond (request, session)
}

fn main() {}
