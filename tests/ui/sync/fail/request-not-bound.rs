#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `: ()` binds nothing: the respond has no request to answer.
sync! {
    pub Ping
    when
        Requesting.request (path: "/ping") : ()
    then
        Requesting.respond (request, pong: true)
}

fn main() {}
