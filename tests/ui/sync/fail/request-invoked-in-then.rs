#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Loopback
    when
        Accounts.register () : (user)
    then
        Requesting.request (path: "/again", user)
}

fn main() {}
