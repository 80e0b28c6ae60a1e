#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub CreateSession
    when
    then
        Sessions.create (user: "x")
}
fn main() {}
