#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Rename
    when
        Accounts.register () : (user)
    where
        let user = user.to_uppercase()
    then
        Sessions.create (user)
}

fn main() {}
