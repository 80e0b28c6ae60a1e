#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Again
    when
        Requesting.request (path: "/a", tag?) : (request)
        Requesting.respond (request, tag) : ()
    then
        Sessions.create (user: "x")
}

fn main() {}
