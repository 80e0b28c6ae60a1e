#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// A query input named after the request's field, which is not the query's
// name for it and not close to it: the error lists the query's inputs.
sync! {
    pub CountSessions
    when
        Requesting.request (path: "/sessions/count", owner) : (request)
    where
        Sessions._count (owner) : (count)
    then
        Requesting.respond (request, count)
}

fn main() {}
