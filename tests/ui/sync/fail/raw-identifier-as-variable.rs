#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub ByRawType
    when
        Requesting.request (path: "/other-things", r#type) : (request)
    then
        Requesting.respond (request, found: true)
}

fn main() {}
