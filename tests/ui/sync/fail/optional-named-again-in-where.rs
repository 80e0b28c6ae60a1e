#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `name?` binds an `Option`; the query's row has a `name` too. Naming it
// again compares the two, at types that cannot be compared.
sync! {
    pub NameOfUser
    when
        Requesting.request (path: "/names", user, name?) : (request)
    where
        Accounts._get_name (user) : (name)
    then
        Requesting.respond (request, name)
}

fn main() {}
