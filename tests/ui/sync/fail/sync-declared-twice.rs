#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Respond
    when
        Requesting.request (path: "/first") : (request)
    then
        Requesting.respond (request, first: true)

    pub Respond
    when
        Requesting.request (path: "/second") : (request)
    then
        Requesting.respond (request, second: true)
}

fn main() {
    let _ = Respond;
}
