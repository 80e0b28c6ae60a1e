#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `: (usr)` misspells `Accounts.register`'s outcome field `user`; the
// variable the sync then uses, `user`, is unbound. Both are reported.
sync! {
    pub CreateSession
    when
        Accounts.register () : (usr)
    then
        Sessions.create (user)
}

fn main() {}
