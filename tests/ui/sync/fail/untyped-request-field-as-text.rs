#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `name` is given to no concept input directly: it is JSON. Its
// `.to_string()` is its JSON text, quotes included, and a `let` copy of it
// is JSON too.
sync! {
    pub RegisterTrimmed
    when
        Requesting.request (path: "/register", name) : ()
    where
        let text = name.to_string()
    then
        Accounts.register (username: text, password: "pw")

    pub RegisterCopy
    when
        Requesting.request (path: "/register-copy", name) : ()
    where
        let copy = name
    then
        Accounts.register (username: copy, password: "pw")
}

fn main() {}
