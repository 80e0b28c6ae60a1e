// A request field given to a concept's input takes that input's type in
// `where` too, before the step or action that gives it: a guard can call
// its methods.
#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub RegisterNonBlank
    when
        Requesting.request (path: "/register", username, password) : ()
    where
        if !username.trim().is_empty()
    then
        Accounts.register (username, password)
}

fn main() {
    let _ = RegisterNonBlank;
}
