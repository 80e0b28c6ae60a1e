#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// A typo in one sync is one error: the syncs after it are still read and
// checked (`Unbound` has a mistake of its own), and every name stays
// defined, so the builder below adds no errors of its own.
sync! {
    pub CreateSession
    when
        Accounts.register () : (user)
    thn
        Sessions.create (user)

    pub Respond
    when
        Requesting.request (path: "/register") : (request)
    then
        Requesting.respond (request, done: true)

    pub Unbound
    when
        Requesting.request (path: "/other") : (request)
    then
        Requesting.respond (request, who)
}

fn main() {
    let _ = syncs_runtime::Engine::builder()
        .sync(CreateSession)
        .sync(Respond)
        .sync(Unbound);
}
