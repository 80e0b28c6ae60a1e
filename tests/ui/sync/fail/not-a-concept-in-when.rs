#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

pub struct Thing;

// A type with no `#[concept]`, matched in `when`.
sync! {
    pub AfterThing
    when
        Thing.made () : ()
    then
        Sessions.create (user: "someone")
}

fn main() {}
