#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    /// Axum's and OpenAPI's way of writing a parameter.
    pub Removed
    when
        Requesting.request (path: "/sessions/{session}", method: "DELETE", session) : (request)
        Sessions.delete (session) : ()
    then
        Requesting.respond (request, deleted: true)

    /// The server's base left in place of the leading `/`.
    pub Listed
    when
        Requesting.request (path: "sessions", method: "GET") : (request)
    then
        Requesting.respond (request, sessions: [])
}

fn main() {}
