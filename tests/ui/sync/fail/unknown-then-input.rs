#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub CreateSession
    when
        Accounts.register (username) : (user)
    then
        Sessions.create (usr: user)
}
fn main() {}
