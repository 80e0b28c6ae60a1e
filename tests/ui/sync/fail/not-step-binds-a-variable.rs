#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Lonely
    when
        Accounts.register () : (user)
    where
        not Accounts._get_name (user) : (name)
    then
        Sessions.create (user)
}

fn main() {}
