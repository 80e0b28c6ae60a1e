#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `name`, `copies` and `q` are given to no concept input: each is a JSON
// value, not a String or a number (`q`, optional, an `Option` of one).
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

    pub Search
    when
        Requesting.request (path: "/search", q?) : (request)
    where
        if q.is_some() && "needle in a haystack".contains(q.unwrap())
        if q.unwrap_or_default().len() > 2
        if q.unwrap_or_default().as_str() != Some("")
        if q.unwrap() != "hay"
        if q.unwrap()["k"] == "x"
        if (&q.unwrap()) != "y"
    then
        Requesting.respond (request, found: true)
}

fn main() {}
