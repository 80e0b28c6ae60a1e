#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub DeleteFailed
    when
        Requesting.request (path: "/logout") : (request)
        Sessions.delete () : (error)
    then
        Requesting.respond (request, error)
}
fn main() {}
