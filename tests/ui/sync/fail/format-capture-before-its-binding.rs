#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// The `let` formats `name`, captured by the format string, one step
// before the query that binds it; the guard's `vec!` reads `user`, bound.
sync! {
    pub GreetByName
    when
        Requesting.request (path: "/greet", user) : (request)
    where
        if !vec![user.clone()].is_empty()
        let greeting = format!("hello, {name}!")
        Accounts._get_name (user) : (name)
    then
        Requesting.respond (request, greeting)
}

fn main() {}
