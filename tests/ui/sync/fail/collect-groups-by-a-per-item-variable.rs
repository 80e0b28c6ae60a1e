#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Names
    when
        Requesting.request (path: "/names", user) : (request)
    where
        Accounts._get_name (user) : (name)
        let shown = name.to_uppercase()
        collect (name) as names
    then
        Requesting.respond (request, names)
}

fn main() {}
