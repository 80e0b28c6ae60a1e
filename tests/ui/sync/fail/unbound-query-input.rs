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
        Accounts._get_name (user: someone) : (name)
    then
        Sessions.create (user: name)
}
fn main() {}
