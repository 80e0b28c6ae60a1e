#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `name` and `copies` are given to no concept input: each is a JSON value,
// not a String or a number.
sync! {
    pub LongNames
    when
        Requesting.request (path: "/names", name) : (request)
    where
        if name.len() > 3
    then
        Requesting.respond (request, name)

    pub ManyCopies
    when
        Requesting.request (path: "/copies", copies) : (request)
    where
        if copies > 100
    then
        Requesting.respond (request, copies)
}

fn main() {}
