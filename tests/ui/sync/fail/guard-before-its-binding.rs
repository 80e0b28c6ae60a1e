#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// The guard tests `name` one step before the query that binds it.
sync! {
    pub LongNamesOnly
    when
        Requesting.request (path: "/name", user) : (request)
    where
        if name.len() > 3
        Accounts._get_name (user) : (name)
    then
        Requesting.respond (request, name)
}

fn main() {}
