#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

pub struct Thing;

sync! {
    pub MakeThing
    when
        Requesting.request (path: "/things") : (request)
    then
        Thing.make ()
}

fn main() {}
