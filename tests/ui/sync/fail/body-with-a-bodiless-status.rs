#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Removed
    when
        Requesting.request (path: "/sessions/:session", method: "DELETE", session) : (request)
        Sessions.delete (session) : ()
    then
        Requesting.respond (request, http_status: 204, note: "gone")
}

fn main() {}
