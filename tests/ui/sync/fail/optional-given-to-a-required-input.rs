#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub CreateForTag
    when
        Requesting.request (path: "/sessions", tag?) : (request)
    then
        Sessions.create (user: tag)
}

fn main() {}
