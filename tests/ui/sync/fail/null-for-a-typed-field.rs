#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Nothing
    when
        Accounts.register (username: null) : (user)
    then
        Sessions.create (user)
}

fn main() {}
