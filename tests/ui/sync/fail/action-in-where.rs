#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub CreateSession
    when
        Accounts.register () : (user)
    where
        Sessions.create (user) : (session)
    then
        Sessions.delete (session)
}
fn main() {}
