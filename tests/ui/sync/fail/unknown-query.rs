#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Named
    when
        Accounts.register () : (user)
    where
        Accounts._get_nam (user) : (name)
    then
        Sessions.create (user: name)
}

fn main() {}
