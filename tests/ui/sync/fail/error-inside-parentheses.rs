#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// A mistake inside a pattern's parentheses is reported as itself, and the
// sync after it is still checked.
sync! {
    pub CreateSession
    when
        Accounts.register (username password) : (user)
    then
        Sessions.create (user)

    pub Unbound
    when
        Requesting.request (path: "/other") : (request)
    then
        Requesting.respond (request, who)
}

fn main() {}
