#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Anonymous
    when
        Requesting.request (path: "/anonymous") : ()
    then
        Sessions.create (user: null)
}

fn main() {}
