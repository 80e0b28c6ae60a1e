#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub DeleteSession
    when
        Requesting.request (path: "/sessions", method: "DELET", session) : (request)
    then
        Sessions.delete (session)
}
fn main() {}
