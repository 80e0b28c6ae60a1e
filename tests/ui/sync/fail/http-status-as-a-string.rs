#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Missing
    when
        Requesting.request (path: "/missing") : (request)
    then
        Requesting.respond (request, http_status: "404", error: "not here")

    pub Informational
    when
        Requesting.request (path: "/early") : (request)
    then
        Requesting.respond (request, http_status: 103)
}

fn main() {}
