#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub ByType
    when
        Requesting.request (path: "/things", type) : (request)
    then
        Requesting.respond (request, found: true)
}

fn main() {}
