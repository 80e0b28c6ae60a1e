//! The seed's eight authentication syncs (`shared/seed/auth.sync.md`), and the
//! two request syncs they assume.

use syncs_runtime::sync;

#[allow(unused_imports)]
use super::concepts::{Sessioning, UserAuthentication};

sync! {
    /// A registration request registers the user.
    pub RegisterRequest
    when
        Requesting.request (path: "/UserAuthentication/register", username, password) : ()
    then
        UserAuthentication.register (username, password)

    /// A login request checks the user's credentials.
    pub LoginRequest
    when
        Requesting.request (path: "/UserAuthentication/login", username, password) : ()
    then
        UserAuthentication.login (username, password)
}

sync! {
    /// After a user successfully logs in, create a session for them.
    pub LoginFlow
    when
        UserAuthentication.login () : (user)
    then
        Sessioning.create (user)
}

sync! {
    /// When a session is successfully created as part of a login flow,
    /// respond to the original login request with the session ID.
    pub LoginResponseSuccess
    when
        Requesting.request (path: "/UserAuthentication/login") : (request)
        Sessioning.create () : (session)
    then
        Requesting.respond (request, session)
}

sync! {
    /// If a login attempt fails, respond to the original request with the error.
    pub LoginResponseError
    when
        Requesting.request (path: "/UserAuthentication/login") : (request)
        UserAuthentication.login () : (error)
    then
        Requesting.respond (request, error)
}

sync! {
    /// If a registration attempt is successful, respond with the new user's ID.
    pub RegisterResponseSuccess
    when
        Requesting.request (path: "/UserAuthentication/register") : (request)
        UserAuthentication.register () : (user)
    then
        Requesting.respond (request, user)
}

sync! {
    /// If a registration attempt fails (e.g., username taken), respond with the error.
    pub RegisterResponseError
    when
        Requesting.request (path: "/UserAuthentication/register") : (request)
        UserAuthentication.register () : (error)
    then
        Requesting.respond (request, error)
}

sync! {
    /// When a user requests to log out, delete their session.
    pub LogoutRequest
    when
        Requesting.request (path: "/logout", session) : ()
    then
        Sessioning.delete (session)
}

sync! {
    /// After a session is successfully deleted for logout, confirm with a response.
    pub LogoutResponseSuccess
    when
        Requesting.request (path: "/logout") : (request)
        Sessioning.delete () : ()
    then
        Requesting.respond (request, status: "logged_out")
}

sync! {
    /// If a logout request is made with an invalid session, respond with an error.
    pub LogoutResponseError
    when
        Requesting.request (path: "/logout") : (request)
        Sessioning.delete () : (error)
    then
        Requesting.respond (request, error)
}

/// Registers the auth app's syncs, in the seed's order.
pub fn register(builder: syncs_runtime::EngineBuilder) -> syncs_runtime::EngineBuilder {
    builder
        .sync(RegisterRequest)
        .sync(LoginRequest)
        .sync(LoginFlow)
        .sync(LoginResponseSuccess)
        .sync(LoginResponseError)
        .sync(RegisterResponseSuccess)
        .sync(RegisterResponseError)
        .sync(LogoutRequest)
        .sync(LogoutResponseSuccess)
        .sync(LogoutResponseError)
}
