#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Many
    when
        Accounts.register () : (user)
    then
        Sessions.create (user: ["a", "b"])
}

fn main() {}
