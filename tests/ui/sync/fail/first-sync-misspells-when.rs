#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    CreateSession whn
        Accounts.register () : (user)
    then
        Sessions.create (user)
}

fn main() {}
