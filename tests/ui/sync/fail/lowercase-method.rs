#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Fetch
    when
        Requesting.request (path: "/x", method: "get") : (request)
    then
        Requesting.respond (request, ok: true)
}

fn main() {}
