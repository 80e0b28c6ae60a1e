#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Answer
    when
        Requesting.request (path: "/x") : (request)
    then
        Requesting.respond (status: "ok")
}
fn main() {}
