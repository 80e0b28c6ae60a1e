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

    pub Reset
    when
        Requesting.request (path: "/form", method: "POST") : (request)
    then
        Requesting.respond (request, http_status: 205, http_headers: {"x-reset": "1"}, cleared: true)
}

fn main() {}
