#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `name` is given to no concept input: it is a JSON value, not a String.
sync! {
    pub LongNames
    when
        Requesting.request (path: "/names", name) : (request)
    where
        if name.len() > 3
    then
        Requesting.respond (request, name)
}

fn main() {}
