#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// `count` is a `u32`: the `let` says `i64`.
sync! {
    pub Doubled
    when
        Requesting.request (path: "/count", user) : (request)
    where
        Sessions._count (user) : (count)
        let doubled: i64 = count * 2
    then
        Requesting.respond (request, doubled)
}

fn main() {}
