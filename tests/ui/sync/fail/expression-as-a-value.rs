#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

sync! {
    pub CreateForName
    when
        Requesting.request (path: "/sessions", name) : (request)
    then
        Sessions.create (user: name.to_string())

    pub MatchTrimmed
    when
        Requesting.request (path: "/register", username: username.trim(), password) : (request)
    then
        Requesting.respond (request, done: true)

    pub CountPlusOne
    when
        Requesting.request (path: "/count", user) : (request)
    where
        Sessions._count (user: user + 1) : (count)
    then
        Requesting.respond (request, count)
}

fn main() {}
