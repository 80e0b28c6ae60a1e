#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub RespondWrong
    when
        Requesting.request (path: "/x") : (request)
    then
        Sessions.delete (session: request)
}
fn main() {}
