#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

pub struct Catalog;

// A type with no `#[concept]`, queried in `where`.
sync! {
    pub Lookup
    when
        Requesting.request (path: "/lookup", item) : (request)
    where
        Catalog._by_item (item) : (price)
    then
        Requesting.respond (request, price)
}

fn main() {}
