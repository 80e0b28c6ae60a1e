#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `: (nmae)` misspells the row field `name` of `Accounts._get_name`; the
// variable the sync then uses, `name`, is unbound. Both are reported.
sync! {
    pub ShowName
    when
        Requesting.request (path: "/name", user) : (request)
    where
        Accounts._get_name (user) : (nmae)
    then
        Requesting.respond (request, name)
}

fn main() {}
