// `#[cfg]` on a sync removes all of it, or keeps all of it.
#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    /// Compiled out.
    #[cfg(any())]
    pub Disabled
    when
        Requesting.request (path: "/names", user) : (request)
    where
        Accounts._get_name (user) : (name)
        collect (name) as names
    then
        Requesting.respond (request, names)

    /// Kept.
    #[cfg(all())]
    pub Enabled
    when
        Requesting.request (path: "/enabled") : (request)
    then
        Requesting.respond (request, enabled: true)

    /// One name, two alternatives: only one is compiled in.
    #[cfg(any())]
    pub Either
    when
        Requesting.request (path: "/either") : (request)
    then
        Requesting.respond (request, first: true)

    #[cfg(not(any()))]
    pub Either
    when
        Requesting.request (path: "/either") : (request)
    then
        Requesting.respond (request, second: true)
}

fn main() {
    let _ = syncs_runtime::Synchronization::compile(&Enabled);
    let _ = syncs_runtime::Synchronization::compile(&Either);
}
