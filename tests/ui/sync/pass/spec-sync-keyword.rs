// A sync copied from a spec, which starts with the language's `sync`
// keyword, compiles as it is; a sync may still be named `sync`-free
// (`pub Name when ...`) as everywhere else.
#[path = "../../concepts.rs"]
mod concepts;
use concepts::*;
use syncs_runtime::sync;

sync! {
    sync RegisterFromSpec
    when
        Requesting.request (path: "/register", username, password) : (request)
        Accounts.register (username, password) : (user)
    then
        Requesting.respond (request, user)

    sync CountFromSpec
    when
        Requesting.request (path: "/count", user) : (request)
    where
        Sessions._count (user) : (count)
    then
        Requesting.respond (request, count)

    /// Documented and public, after the keyword's place.
    pub sync RespondFromSpec
    when
        Requesting.request (path: "/next") : (request)
    then
        Requesting.respond (request, next: true)
}

fn main() {
    let sync = syncs_runtime::Synchronization::compile(&RegisterFromSpec);
    assert_eq!(sync.name(), "RegisterFromSpec");
    let _ = syncs_runtime::Synchronization::compile(&CountFromSpec);
    let _ = syncs_runtime::Synchronization::compile(&RespondFromSpec);
}
