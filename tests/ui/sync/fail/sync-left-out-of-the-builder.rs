// A sync written but never registered does nothing at run time. In a
// program (a binary, a test, an example) rustc says so, as for any struct
// nothing uses, unless the sync is exported (`pub` and reachable from the
// crate's root): here as an error, as with `#![deny(warnings)]`.
#![deny(dead_code)]

#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::{sync, Engine};

sync! {
    CreateSession
    when
        Accounts.register (username) : (user)
    then
        Sessions.create (user)
}

sync! {
    EndTheSession
    when
        Sessions.create (user) : (session)
    then
        Sessions.delete (session)
}

// `pub`, in a private module: not exported, so reported too.
mod flows {
    #[allow(unused_imports)]
    use super::concepts::*;
    use syncs_runtime::sync;

    sync! {
        pub LogTheRegistration
        when
            Accounts.register (username) : (user)
        then
            Sessions.create (user)
    }
}

fn main() {
    // `EndTheSession` is left out.
    let _engine = Engine::builder()
        .concept(Accounts)
        .concept(Sessions)
        .sync(CreateSession)
        .build();
}
