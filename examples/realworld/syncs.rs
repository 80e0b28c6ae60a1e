//! The RealWorld API's users, in syncs: registration, login, the current
//! user and its update, profiles and following.

use syncs_runtime::sync;

#[allow(unused_imports)]
use super::concepts::{Following, Password, Token, User};
#[allow(unused_imports)]
use super::json::{
    filled, header, invalid, invalid_login, no_such_profile, profile_json, text, token_of, too_long_changes,
    unauthorized, user_json,
};

sync! {
    /// `POST /users` with every field: first hash the password, which waits
    /// its turn among the hashes, so that a registration cut at its
    /// deadline leaves no account without a password.
    pub Register
    when
        Requesting.request (path: "/users", method: "POST", user: body) : ()
    where
        let password = filled(&body, "password")
        if filled(&body, "username").is_some() && filled(&body, "email").is_some() && password.is_some()
        let secret = password.unwrap_or_default()
    then
        Password.hash (password: secret)

    /// Password hashed: register the user.
    pub RegisterUser
    when
        Requesting.request (path: "/users", user: body) : ()
        Password.hash () : ()
    where
        let name = text(&body, "username").unwrap_or_default()
        let address = text(&body, "email").unwrap_or_default()
    then
        User.register (username: name, email: address)

    /// `POST /users` missing a field: 422 naming it.
    pub RegisterInvalid
    when
        Requesting.request (path: "/users", method: "POST", user?: body) : (request)
    where
        let errors = invalid(body.as_ref(), &["username", "email", "password"])
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// Once registered, store the password's hash: a quick write.
    pub StorePassword
    when
        Requesting.request (path: "/users") : ()
        Password.hash () : (hash)
        User.register () : (user)
    then
        Password.store (user, hash)

    /// Registered, password stored: issue a token.
    pub IssueOnRegister
    when
        Requesting.request (path: "/users") : ()
        Password.store (user) : ()
    then
        Token.issue (user)

    /// The username or email is taken: 422.
    pub RegisterTaken
    when
        Requesting.request (path: "/users") : (request)
        User.register () : (error)
    where
        let errors = serde_json::json!({ "username": [error] })
    then
        Requesting.respond (request, http_status: 422, errors)

    /// `POST /users/login`: find the user by email, check the password.
    pub Login
    when
        Requesting.request (path: "/users/login", method: "POST", user: body) : ()
    where
        let email = filled(&body, "email")
        let password = filled(&body, "password")
        if email.is_some() && password.is_some()
        let address = email.unwrap_or_default()
        let secret = password.unwrap_or_default()
        User._by_email (email: address) : (user)
    then
        Password.check (user, password: secret)

    /// `POST /users/login` missing a field: 422.
    pub LoginInvalid
    when
        Requesting.request (path: "/users/login", method: "POST", user?: body) : (request)
    where
        let errors = invalid(body.as_ref(), &["email", "password"])
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// No user has that email: the password is checked all the same,
    /// against no account, so that the answer (LoginFailed's 422) takes as
    /// long as a wrong password's and does not tell which emails exist.
    pub LoginUnknownEmail
    when
        Requesting.request (path: "/users/login", method: "POST", user: body) : ()
    where
        let email = filled(&body, "email")
        let password = filled(&body, "password")
        if email.is_some() && password.is_some()
        let address = email.unwrap_or_default()
        not User._by_email (email: address)
        let nobody = String::new()
        let secret = password.unwrap_or_default()
    then
        Password.check (user: nobody, password: secret)

    /// The password is right: issue a token.
    pub IssueOnLogin
    when
        Requesting.request (path: "/users/login") : ()
        Password.check (user) : ()
    then
        Token.issue (user)

    /// The password is wrong: 422.
    pub LoginFailed
    when
        Requesting.request (path: "/users/login") : (request)
        Password.check () : (error)
    where
        let errors = invalid_login()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// A token was issued for a registration: 201 with the user.
    pub RespondToRegistration
    when
        Requesting.request (path: "/users") : (request)
        Token.issue (user) : (token)
    where
        User._by_id (user) : (username, email, bio, image)
        let body = user_json(&username, &email, &bio, &image, &token)
    then
        Requesting.respond (request, http_status: 201, user: body)

    /// A token was issued for a login: confirm that the password is still
    /// the one checked. A change between the check and the token would
    /// have its `RevokeOtherTokens` run before the token was stored; the
    /// confirmation reads after the token is stored, so it sees any such
    /// change.
    pub ConfirmLogin
    when
        Requesting.request (path: "/users/login") : ()
        Password.check (user) : (version)
        Token.issue (user) : ()
    then
        Password.confirm (user, version)

    /// Confirmed: 200 with the user. (A password changed after this
    /// answer ends the token: `RevokeOtherTokens` runs after the change.)
    pub RespondToLogin
    when
        Requesting.request (path: "/users/login") : (request)
        Token.issue (user) : (token)
        Password.confirm (user) : ()
    where
        User._by_id (user) : (username, email, bio, image)
        let body = user_json(&username, &email, &bio, &image, &token)
    then
        Requesting.respond (request, user: body)

    /// The password changed since the login checked it: the token ends,
    /// and the login fails as with a wrong password.
    pub LoginOutdated
    when
        Requesting.request (path: "/users/login") : (request)
        Token.issue (user) : (token)
        Password.confirm (user) : (error)
    where
        let errors = invalid_login()
    then
        Token.revoke (token)
        Requesting.respond (request, http_status: 422, errors)

    /// `GET /user` with a valid token: the current user.
    pub CurrentUser
    when
        Requesting.request (path: "/user", method: "GET", authorization) : (request)
    where
        Token._user (authorization) : (user)
        User._by_id (user) : (username, email, bio, image)
        let body = user_json(&username, &email, &bio, &image, &token_of(&authorization))
    then
        Requesting.respond (request, user: body)

    /// `PUT /user` with a valid token: change the fields given (an empty
    /// username, email or password is a field left as it is, as the
    /// Conduit front-ends send them).
    pub UpdateUser
    when
        Requesting.request (path: "/user", method: "PUT", authorization, user: body) : ()
    where
        Token._user (authorization) : (user)
        if too_long_changes(&body, &["username", "email", "password"]).is_null()
        let username = filled(&body, "username")
        let email = filled(&body, "email")
        let bio = text(&body, "bio")
        let image = text(&body, "image")
    then
        User.update (user, username, email, bio, image)

    /// `PUT /user` with a field too long: 422.
    pub UpdateUserInvalid
    when
        Requesting.request (path: "/user", method: "PUT", authorization, user: body) : (request)
    where
        Token._user (authorization) : (user)
        let errors = too_long_changes(&body, &["username", "email", "password"])
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// Updated, and a new password given: set it (only once the rest of
    /// the update succeeded).
    pub UpdatePassword
    when
        Requesting.request (path: "/user", method: "PUT", user: body) : ()
        User.update (user) : ()
    where
        let given = filled(&body, "password")
        if given.is_some()
        let password = given.unwrap_or_default()
    then
        Password.set (user, password)

    /// Updated, no new password: answer with the user.
    pub UpdatedUser
    when
        Requesting.request (path: "/user", method: "PUT", authorization, user: body) : (request)
        User.update (user) : ()
    where
        if filled(&body, "password").is_none()
        User._by_id (user) : (username, email, bio, image)
        let token = token_of(authorization.as_str().unwrap_or_default())
        let json = user_json(&username, &email, &bio, &image, &token)
    then
        Requesting.respond (request, user: json)

    /// The new password set: the user's other tokens stop working (a
    /// password changed because it leaked should end the sessions made
    /// with it); the one the change was made with goes on.
    pub RevokeOtherTokens
    when
        Requesting.request (path: "/user", method: "PUT", authorization) : ()
        Password.set (user) : ()
    then
        Token.revoke_others (user, authorization)

    /// Updated, the new password set, other tokens ended: answer with the
    /// user.
    pub UpdatedUserAndPassword
    when
        Requesting.request (path: "/user", method: "PUT", authorization) : (request)
        Token.revoke_others (user) : ()
    where
        User._by_id (user) : (username, email, bio, image)
        let token = token_of(authorization.as_str().unwrap_or_default())
        let json = user_json(&username, &email, &bio, &image, &token)
    then
        Requesting.respond (request, user: json)

    /// The update collides with another user: 422.
    pub UpdateRefused
    when
        Requesting.request (path: "/user", method: "PUT") : (request)
        User.update () : (error)
    where
        let errors = serde_json::json!({ "body": [error] })
    then
        Requesting.respond (request, http_status: 422, errors)

    /// `/user` without a valid token: 401.
    pub UserUnauthorized
    when
        Requesting.request (path: "/user", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)
}

sync! {
    /// `GET /profiles/:username` by a signed-in user: with `following`.
    pub ProfileForUser
    when
        Requesting.request (path: "/profiles/:username", method: "GET", username, authorization) : (request)
    where
        Token._user (authorization) : (user: viewer)
        User._by_username (username) : (user: shown, bio, image)
        Following._is_following (follower: viewer, followee: shown) : (following)
        let profile = profile_json(&username, &bio, &image, following)
    then
        Requesting.respond (request, profile)

    /// `GET /profiles/:username` without a (valid) token: not following.
    pub ProfileForAnyone
    when
        Requesting.request (path: "/profiles/:username", method: "GET", username, authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        User._by_username (username) : (bio, image)
        let profile = profile_json(&username, &bio, &image, false)
    then
        Requesting.respond (request, profile)

    /// No such profile: 404.
    pub ProfileNotFound
    when
        Requesting.request (path: "/profiles/:username", username) : (request)
    where
        not User._by_username (username)
        let errors = no_such_profile()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// `POST /profiles/:username/follow`: follow.
    pub Follow
    when
        Requesting.request (path: "/profiles/:username/follow", method: "POST", username, authorization) : ()
    where
        Token._user (authorization) : (user: follower)
        User._by_username (username) : (user: followee)
    then
        Following.follow (follower, followee)

    /// `DELETE /profiles/:username/follow`: unfollow.
    pub Unfollow
    when
        Requesting.request (path: "/profiles/:username/follow", method: "DELETE", username, authorization) : ()
    where
        Token._user (authorization) : (user: follower)
        User._by_username (username) : (user: followee)
    then
        Following.unfollow (follower, followee)

    /// Followed: the profile, following.
    pub Followed
    when
        Requesting.request (path: "/profiles/:username/follow", username) : (request)
        Following.follow () : ()
    where
        User._by_username (username) : (bio, image)
        let profile = profile_json(&username, &bio, &image, true)
    then
        Requesting.respond (request, profile)

    /// Unfollowed: the profile, not following.
    pub Unfollowed
    when
        Requesting.request (path: "/profiles/:username/follow", username) : (request)
        Following.unfollow () : ()
    where
        User._by_username (username) : (bio, image)
        let profile = profile_json(&username, &bio, &image, false)
    then
        Requesting.respond (request, profile)

    /// Following without a valid token: 401.
    pub FollowUnauthorized
    when
        Requesting.request (path: "/profiles/:username/follow", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// Following someone unknown: 404.
    pub FollowNotFound
    when
        Requesting.request (path: "/profiles/:username/follow", username, authorization) : (request)
    where
        Token._user (authorization) : (user)
        not User._by_username (username)
        let errors = no_such_profile()
    then
        Requesting.respond (request, http_status: 404, errors)
}

/// Registers the syncs of the slices done so far: users and profiles.
pub fn register(builder: syncs_runtime::EngineBuilder) -> syncs_runtime::EngineBuilder {
    builder
        .sync(ProfileForUser)
        .sync(ProfileForAnyone)
        .sync(ProfileNotFound)
        .sync(Follow)
        .sync(Unfollow)
        .sync(Followed)
        .sync(Unfollowed)
        .sync(FollowUnauthorized)
        .sync(FollowNotFound)
        .sync(Register)
        .sync(RegisterInvalid)
        .sync(RegisterUser)
        .sync(StorePassword)
        .sync(IssueOnRegister)
        .sync(RegisterTaken)
        .sync(Login)
        .sync(LoginInvalid)
        .sync(LoginUnknownEmail)
        .sync(IssueOnLogin)
        .sync(LoginFailed)
        .sync(RespondToRegistration)
        .sync(ConfirmLogin)
        .sync(RespondToLogin)
        .sync(LoginOutdated)
        .sync(CurrentUser)
        .sync(UpdateUser)
        .sync(UpdateUserInvalid)
        .sync(UpdatePassword)
        .sync(UpdatedUser)
        .sync(RevokeOtherTokens)
        .sync(UpdatedUserAndPassword)
        .sync(UpdateRefused)
        .sync(UserUnauthorized)
        // UserUnauthorized answers last on purpose, as the catch-all of
        // `/user`: a token never becomes valid again, so when the syncs
        // before it found none, it finds none either. The update's cascade
        // changes tokens, but only the user's other ones (RevokeOtherTokens).
        // Tried first, a token expiring between its test and the update's
        // would leave the request unanswered.
        .allow_finding(syncs_runtime::Finding::AnswersAfterChange {
            sync: "UserUnauthorized",
            after: "UpdateUser",
            path: "/user".to_owned(),
            concept: "Token",
        })
}
