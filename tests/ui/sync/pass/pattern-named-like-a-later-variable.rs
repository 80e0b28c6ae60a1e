#[path = "../../concepts.rs"]
mod concepts;
#[allow(unused_imports)]
use concepts::*;
use syncs_runtime::sync;

// A closure parameter, a `match` arm and an inner `let` inside a guard
// may share their name with a variable a later step binds (`name`): they
// are the expression's own, not a use before the binding; so is a name
// in a macro whose arguments may be patterns (`matches!`), and a
// format string's positional or escaped braces.
sync! {
    pub NamesOfNonEmptyUsers
    when
        Requesting.request (path: "/names", user) : (request)
    where
        if [user.clone()].iter().all(|name| !name.is_empty())
        if match user.len() { name => name > 0 }
        if { let name = user.len(); name < 100 }
        if matches!(user.as_str(), name if !name.is_empty())
        if format!("{{name}} {0}", user).len() > 1
        Accounts._get_name (user) : (name)
    then
        Requesting.respond (request, name)
}

fn main() {}
