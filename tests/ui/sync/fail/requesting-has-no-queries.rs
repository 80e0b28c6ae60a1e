#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Ask
    when
        Accounts.register () : (user)
    where
        Requesting._pending (user) : (request)
    then
        Sessions.create (user)
}

fn main() {}
