#[path = "../../concepts.rs"]
mod concepts;
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub Count
    when
        Accounts.register () : (user)
    where
        Sessions._count (user) : (count: "three")
    then
        Sessions.create (user)
}

fn main() {}
