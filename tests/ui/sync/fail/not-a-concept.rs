#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

pub struct Thing;

// A type with no `#[concept]` in `then`, given a request's field.
sync! {
    pub MakeThing
    when
        Requesting.request (path: "/things", name) : (request)
    then
        Thing.make (name)
}

fn main() {}
