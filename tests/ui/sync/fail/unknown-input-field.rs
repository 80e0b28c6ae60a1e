#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub CreateSession
    when
        Accounts.register (usrname: "alice") : (user)
    then
        Sessions.create (user)
}
fn main() {}
