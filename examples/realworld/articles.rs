//! The RealWorld API's articles, tags, favorites and comments, in syncs.

use syncs_runtime::sync;

#[allow(unused_imports)]
use super::concepts::{Article, Comment, Favoriting, Following, Tagging, Token, User};
#[allow(unused_imports)]
use super::json::{
    bad_paging, both, comment_id, comment_json, filled, forbidden, header, invalid, listed_article_json,
    no_such_article, no_such_comment, number, page_size, profile_json, refusal, tag_list, text,
    too_long_changes, unauthorized, update_decides, with_body,
};

sync! {
    /// `GET /tags`: every tag in use.
    pub ListTags
    when
        Requesting.request (path: "/tags", method: "GET") : (request)
    where
        Tagging._all () : (tags)
    then
        Requesting.respond (request, tags)

    /// `POST /articles` by a signed-in user with every field: publish.
    pub CreateArticle
    when
        Requesting.request (path: "/articles", method: "POST", authorization, article: input) : ()
    where
        Token._user (authorization) : (user)
        let title = filled(&input, "title")
        let description = filled(&input, "description")
        let content = filled(&input, "body")
        if title.is_some() && description.is_some() && content.is_some()
        if invalid(Some(&input), &["tagList"]).is_null()
        let t = title.unwrap_or_default()
        let d = description.unwrap_or_default()
        let b = content.unwrap_or_default()
    then
        Article.create (author: user, title: t, description: d, body: b)

    /// `POST /articles` missing a field: 422.
    pub CreateArticleInvalid
    when
        Requesting.request (path: "/articles", method: "POST", authorization, article?: input) : (request)
    where
        Token._user (authorization) : (user)
        let errors = invalid(input.as_ref(), &["title", "description", "body", "tagList"])
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// A new article gets the tags of its request.
    pub TagNewArticle
    when
        Requesting.request (path: "/articles", method: "POST", article: input) : ()
        Article.create () : (article)
    where
        let tags = tag_list(&input)
    then
        Tagging.tag (item: article, tags)

    /// Published and tagged: 201 with the article.
    pub ArticleCreated
    when
        Requesting.request (path: "/articles", method: "POST") : (request)
        Tagging.tag (item: article) : ()
    where
        Article._by_id (article) : (slug, title, description, body: text, author, created, updated)
        let viewer = Some(author.clone())
        Tagging._tags_of (item: article) : (tags)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        Favoriting._state (viewer, item: article) : (favorited, count)
        let json = with_body(listed_article_json(&slug, &title, &description, &tags, &created, &updated, favorited, count, profile_json(&username, &bio, &image, following)), &text)
    then
        Requesting.respond (request, http_status: 201, article: json)

    /// Writing articles without a valid token: 401.
    pub ArticleWriteUnauthorized
    when
        Requesting.request (path: "/articles", method: "POST", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// `GET /articles/:slug`.
    pub GetArticle
    when
        Requesting.request (path: "/articles/:slug", method: "GET", slug, authorization?) : (request)
    where
        Token._viewer (authorization) : (viewer)
        Article._by_slug (slug) : (article, title, description, body: text, author, created, updated)
        Tagging._tags_of (item: article) : (tags)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        Favoriting._state (viewer, item: article) : (favorited, count)
        let json = with_body(listed_article_json(&slug, &title, &description, &tags, &created, &updated, favorited, count, profile_json(&username, &bio, &image, following)), &text)
    then
        Requesting.respond (request, article: json)

    /// Reading an article no slug names: 404.
    pub ArticleNotFound
    when
        Requesting.request (path: "/articles/:slug", method: "GET", slug) : (request)
    where
        not Article._by_slug (slug)
        let errors = no_such_article()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// Changing an article no slug names, with a valid token, where no
    /// action decides (a delete's 404 is `ArticleDeleteRefused`'s, an
    /// update's `ArticleUpdateRefused`'s): 404 (without a valid token,
    /// `ArticleChangeUnauthorized`'s 401 alone).
    pub ArticleChangeNotFound
    when
        Requesting.request (path: "/articles/:slug", method, slug, authorization, article?: input) : (request)
    where
        if method != "GET" && method != "DELETE"
        if method != "PUT" || !update_decides(&input)
        Token._user (authorization) : (user)
        not Article._by_slug (slug)
        let errors = no_such_article()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// `GET /articles` with a `limit` or `offset` that is not a whole
    /// number from 0: 422 naming it (it was taken as the default).
    pub ListPagingInvalid
    when
        Requesting.request (path: "/articles", method: "GET", limit?, offset?) : (request)
    where
        let errors = bad_paging(&limit, &offset)
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// `GET /articles/feed` with a valid token and a `limit` or `offset`
    /// that is not a whole number from 0: 422 naming it (without a valid
    /// token, `FeedUnauthorized`'s 401 alone).
    pub FeedPagingInvalid
    when
        Requesting.request (path: "/articles/feed", method: "GET", authorization, limit?, offset?) : (request)
    where
        Token._user (authorization) : (user)
        let errors = bad_paging(&limit, &offset)
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// `GET /articles`, newest first, filtered by tag, author or favoriting
    /// user, paginated by limit and offset.
    pub ListArticles
    when
        Requesting.request (path: "/articles", method: "GET", tag?, author?: writer, favorited?: fan, limit?, offset?, authorization?) : (request)
    where
        if bad_paging(&limit, &offset).is_null()
        Token._viewer (authorization) : (viewer)
        User._ids_named (username: writer) : (ids: authors)
        User._ids_named (username: fan) : (ids: fans)
        Favoriting._liked_by (users: fans) : (ids: liked)
        Tagging._tagged (tag) : (ids: tagged)
        let only = both(&tagged, &liked)
        Article._count (authors, only) : (count: total)
        let size = page_size(&limit)
        let skip = number(&offset, 0)
        Article._list (authors, only, limit: size, offset: skip) : (article, slug, title, description, author, created, updated)
        Tagging._tags_of (item: article) : (tags)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        Favoriting._state (viewer, item: article) : (favorited, count)
        let json = listed_article_json(&slug, &title, &description, &tags, &created, &updated, favorited, count, profile_json(&username, &bio, &image, following))
        collect (json, article, slug, title, description, author, created, updated, tags, username, bio, image, following, favorited, count) as found
        let articles: Vec<serde_json::Value> = found.iter().map(|item| item.json.clone()).collect()
    then
        Requesting.respond (request, articles, articlesCount: total)

    /// `GET /articles/feed`: articles by the users the viewer follows.
    pub Feed
    when
        Requesting.request (path: "/articles/feed", method: "GET", authorization, limit?, offset?) : (request)
    where
        if bad_paging(&limit, &offset).is_null()
        Token._user (authorization) : (user)
        let viewer = Some(user.clone())
        Following._followees (follower: user) : (ids: authors)
        let only: Option<Vec<String>> = None
        Article._count (authors, only) : (count: total)
        let size = page_size(&limit)
        let skip = number(&offset, 0)
        Article._list (authors, only, limit: size, offset: skip) : (article, slug, title, description, author, created, updated)
        Tagging._tags_of (item: article) : (tags)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        Favoriting._state (viewer, item: article) : (favorited, count)
        let json = listed_article_json(&slug, &title, &description, &tags, &created, &updated, favorited, count, profile_json(&username, &bio, &image, following))
        collect (json, article, slug, title, description, author, created, updated, tags, username, bio, image, following, favorited, count) as found
        let articles: Vec<serde_json::Value> = found.iter().map(|item| item.json.clone()).collect()
    then
        Requesting.respond (request, articles, articlesCount: total)

    /// The feed without a valid token: 401.
    pub FeedUnauthorized
    when
        Requesting.request (path: "/articles/feed", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// `PUT /articles/:slug` by its author: change the fields given (an
    /// empty one is left as it is).
    pub UpdateArticle
    when
        Requesting.request (path: "/articles/:slug", method: "PUT", slug, authorization, article: input) : ()
    where
        Token._user (authorization) : (user)
        if too_long_changes(&input, &["title", "description"]).is_null()
        let title = filled(&input, "title")
        let description = filled(&input, "description")
        let content = filled(&input, "body")
    then
        Article.update (slug, by: user, title, description, body: content)

    /// `PUT /articles/:slug` by its author with a field too long: 422.
    pub UpdateArticleInvalid
    when
        Requesting.request (path: "/articles/:slug", method: "PUT", slug, authorization, article: input) : (request)
    where
        Token._user (authorization) : (user)
        Article._by_slug (slug) : (author)
        if author == user
        let errors = too_long_changes(&input, &["title", "description"])
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// Updated: the article, at its (maybe new) slug.
    pub ArticleUpdated
    when
        Requesting.request (path: "/articles/:slug", method: "PUT") : (request)
        Article.update () : (article)
    where
        Article._by_id (article) : (slug, title, description, body: text, author, created, updated)
        let viewer = Some(author.clone())
        Tagging._tags_of (item: article) : (tags)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        Favoriting._state (viewer, item: article) : (favorited, count)
        let json = with_body(listed_article_json(&slug, &title, &description, &tags, &created, &updated, favorited, count, profile_json(&username, &bio, &image, following)), &text)
    then
        Requesting.respond (request, article: json)

    /// An update refused: 404 with no article at the slug (none, or a
    /// concurrent delete took it), 403 for someone else's.
    pub ArticleUpdateRefused
    when
        Requesting.request (path: "/articles/:slug", method: "PUT") : (request)
        Article.update () : (error)
    where
        let refused = refusal(&error)
        let status: u16 = refused.0
        let errors = refused.1
    then
        Requesting.respond (request, http_status: status, errors)

    /// `DELETE /articles/:slug` with a valid token: `Article.remove`
    /// decides (its author's: removed; no article: 404; another's: 403).
    pub DeleteArticle
    when
        Requesting.request (path: "/articles/:slug", method: "DELETE", slug, authorization) : ()
    where
        Token._user (authorization) : (user)
    then
        Article.remove (slug, by: user)

    /// A deleted article's tags, favorites and comments go with it (before
    /// the answer: registered before `ArticleDeleted`).
    pub ForgetRemovedArticle
    when
        Article.remove () : (article)
    then
        Tagging.forget (item: article)
        Favoriting.forget (item: article)
        Comment.remove_all (target: article)

    /// Deleted: 204, no content.
    pub ArticleDeleted
    when
        Requesting.request (path: "/articles/:slug", method: "DELETE") : (request)
        Article.remove () : ()
    then
        Requesting.respond (request, http_status: 204)

    /// A delete refused: 404 with no article at the slug (none, or a
    /// concurrent delete took it), 403 for someone else's.
    pub ArticleDeleteRefused
    when
        Requesting.request (path: "/articles/:slug", method: "DELETE") : (request)
        Article.remove () : (error)
    where
        let refused = refusal(&error)
        let status: u16 = refused.0
        let errors = refused.1
    then
        Requesting.respond (request, http_status: status, errors)

    /// Changing someone else's article where no action decides: 403
    /// (reading it is fine; a delete's or an update's 403 is
    /// `ArticleDeleteRefused`'s or `ArticleUpdateRefused`'s).
    pub ArticleForbidden
    when
        Requesting.request (path: "/articles/:slug", method, slug, authorization, article?: input) : (request)
    where
        if method != "GET" && method != "DELETE"
        if method != "PUT" || !update_decides(&input)
        Token._user (authorization) : (user)
        Article._by_slug (slug) : (author)
        if author != user
        let errors = forbidden()
    then
        Requesting.respond (request, http_status: 403, errors)

    /// Changing or favoriting an article without a valid token: 401.
    pub ArticleChangeUnauthorized
    when
        Requesting.request (path: "/articles/:slug", method, authorization?) : (request)
    where
        if method != "GET"
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// Favoriting without a valid token: 401.
    pub FavoriteUnauthorized
    when
        Requesting.request (path: "/articles/:slug/favorite", method: "POST", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// Unfavoriting without a valid token: 401.
    pub UnfavoriteUnauthorized
    when
        Requesting.request (path: "/articles/:slug/favorite", method: "DELETE", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// `POST /articles/:slug/favorite`.
    pub Favorite
    when
        Requesting.request (path: "/articles/:slug/favorite", method: "POST", slug, authorization) : ()
    where
        Token._user (authorization) : (user)
        Article._by_slug (slug) : (article)
    then
        Favoriting.favorite (user, item: article)

    /// `DELETE /articles/:slug/favorite`.
    pub Unfavorite
    when
        Requesting.request (path: "/articles/:slug/favorite", method: "DELETE", slug, authorization) : ()
    where
        Token._user (authorization) : (user)
        Article._by_slug (slug) : (article)
    then
        Favoriting.unfavorite (user, item: article)

    /// Favorited: the article.
    pub Favorited
    when
        Requesting.request (path: "/articles/:slug/favorite") : (request)
        Favoriting.favorite (user, item: article) : ()
    where
        Article._by_id (article) : (slug, title, description, body: text, author, created, updated)
        let viewer = Some(user.clone())
        Tagging._tags_of (item: article) : (tags)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        Favoriting._state (viewer, item: article) : (favorited, count)
        let json = with_body(listed_article_json(&slug, &title, &description, &tags, &created, &updated, favorited, count, profile_json(&username, &bio, &image, following)), &text)
    then
        Requesting.respond (request, article: json)

    /// Unfavorited: the article.
    pub Unfavorited
    when
        Requesting.request (path: "/articles/:slug/favorite") : (request)
        Favoriting.unfavorite (user, item: article) : ()
    where
        Article._by_id (article) : (slug, title, description, body: text, author, created, updated)
        let viewer = Some(user.clone())
        Tagging._tags_of (item: article) : (tags)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        Favoriting._state (viewer, item: article) : (favorited, count)
        let json = with_body(listed_article_json(&slug, &title, &description, &tags, &created, &updated, favorited, count, profile_json(&username, &bio, &image, following)), &text)
    then
        Requesting.respond (request, article: json)

    /// A favorite stored after its article was deleted (the deletion's
    /// `Favoriting.forget` ran between `Favorite`'s lookup and this
    /// favorite) goes too. The answer is `FavoriteArticleNotFound`'s 404: it is
    /// tried after `Favorite`'s cascade, and finds no article.
    pub FavoritedGone
    when
        Favoriting.favorite (item: article) : ()
    where
        not Article._by_id (article)
    then
        Favoriting.forget (item: article)

    /// `POST /articles/:slug/comments` by a signed-in user.
    pub AddComment
    when
        Requesting.request (path: "/articles/:slug/comments", method: "POST", slug, authorization, comment: input) : ()
    where
        Token._user (authorization) : (user)
        Article._by_slug (slug) : (article)
        let content = filled(&input, "body")
        if content.is_some()
        let b = content.unwrap_or_default()
    then
        Comment.add (target: article, author: user, body: b)

    /// `POST /articles/:slug/comments` with no body, or an empty one: 422.
    pub CommentInvalid
    when
        Requesting.request (path: "/articles/:slug/comments", method: "POST", slug, authorization, comment?: input) : (request)
    where
        Token._user (authorization) : (user)
        Article._by_slug (slug) : (article)
        let errors = invalid(input.as_ref(), &["body"])
        if !errors.is_null()
    then
        Requesting.respond (request, http_status: 422, errors)

    /// Commented: the comment.
    pub CommentAdded
    when
        Requesting.request (path: "/articles/:slug/comments") : (request)
        Comment.add (target: article) : (comment)
    where
        Article._by_id (article) : ()
        Comment._by_id (comment) : (author, body: text, created, updated)
        User._by_id (user: author) : (username, bio, image)
        let json = comment_json(comment, &text, &created, &updated, profile_json(&username, &bio, &image, false))
    then
        Requesting.respond (request, comment: json)

    /// A comment stored after its article was deleted (the deletion's
    /// `Comment.remove_all` ran between `AddComment`'s lookup and this
    /// comment) goes too; `CommentAdded` does not answer for it, and the
    /// answer is `CommentArticleNotFound`'s 404, tried after `AddComment`'s
    /// cascade.
    pub CommentedGone
    when
        Comment.add (target: article) : (comment)
    where
        not Article._by_id (article)
    then
        Comment.remove (comment)

    /// `GET /articles/:slug/comments`.
    pub ListComments
    when
        Requesting.request (path: "/articles/:slug/comments", method: "GET", slug, authorization?) : (request)
    where
        Token._viewer (authorization) : (viewer)
        Article._by_slug (slug) : (article)
        Comment._on (target: article) : (comment, author, body: text, created, updated)
        User._by_id (user: author) : (username, bio, image)
        Following._viewer_follows (viewer, followee: author) : (following)
        let json = comment_json(comment, &text, &created, &updated, profile_json(&username, &bio, &image, following))
        collect (json, comment, author, text, created, updated, username, bio, image, following) as found
        let comments: Vec<serde_json::Value> = found.iter().map(|item| item.json.clone()).collect()
    then
        Requesting.respond (request, comments)

    /// `DELETE /articles/:slug/comments/:id` with a valid token, under an
    /// article's slug: `Comment.remove_by` decides (its author's: removed;
    /// none of that id on that article: 404; another's: 403).
    pub DeleteComment
    when
        Requesting.request (path: "/articles/:slug/comments/:id", method: "DELETE", slug, id, authorization) : ()
    where
        Token._user (authorization) : (user)
        Article._by_slug (slug) : (article)
    then
        Comment.remove_by (comment: id, target: article, by: user)

    /// A comment's removal refused: 404 with no comment of that id on that
    /// article, 403 for someone else's.
    pub CommentDeleteRefused
    when
        Requesting.request (path: "/articles/:slug/comments/:id", method: "DELETE") : (request)
        Comment.remove_by () : (error)
    where
        let refused = refusal(&error)
        let status: u16 = refused.0
        let errors = refused.1
    then
        Requesting.respond (request, http_status: status, errors)

    /// Comment removed: 204, no content.
    pub CommentDeleted
    when
        Requesting.request (path: "/articles/:slug/comments/:id", method: "DELETE") : (request)
        Comment.remove_by () : ()
    then
        Requesting.respond (request, http_status: 204)

    /// Commenting without a valid token: 401.
    pub CommentUnauthorized
    when
        Requesting.request (path: "/articles/:slug/comments", method: "POST", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// Deleting a comment without a valid token: 401.
    pub CommentDeleteUnauthorized
    when
        Requesting.request (path: "/articles/:slug/comments/:id", method: "DELETE", authorization?) : (request)
    where
        let given = header(&authorization)
        not Token._user (authorization: given)
        let errors = unauthorized()
    then
        Requesting.respond (request, http_status: 401, errors)

    /// A comment under a slug no article has, with a valid token: 404.
    pub CommentNotFound
    when
        Requesting.request (path: "/articles/:slug/comments/:id", method: "DELETE", slug, authorization) : (request)
    where
        Token._user (authorization) : (user)
        not Article._by_slug (slug)
        let errors = no_such_comment()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// A comment id that is not a number names no comment: 404.
    pub CommentIdNotANumber
    when
        Requesting.request (path: "/articles/:slug/comments/:id", method: "DELETE", id, authorization) : (request)
    where
        Token._user (authorization) : (user)
        let valid: Option<i64> = comment_id(&id)
        if valid.is_none()
        let errors = no_such_comment()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// Reading the comments of an article that does not exist: 404.
    pub CommentsArticleNotFound
    when
        Requesting.request (path: "/articles/:slug/comments", method: "GET", slug) : (request)
    where
        not Article._by_slug (slug)
        let errors = no_such_article()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// Commenting on an article that does not exist, with a valid token:
    /// 404 (without one, `CommentUnauthorized`'s 401 alone).
    pub CommentArticleNotFound
    when
        Requesting.request (path: "/articles/:slug/comments", method: "POST", slug, authorization) : (request)
    where
        Token._user (authorization) : (user)
        not Article._by_slug (slug)
        let errors = no_such_article()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// Favoriting an article that does not exist, with a valid token: 404
    /// (without one, `FavoriteUnauthorized`'s 401 alone).
    pub FavoriteArticleNotFound
    when
        Requesting.request (path: "/articles/:slug/favorite", method: "POST", slug, authorization) : (request)
    where
        Token._user (authorization) : (user)
        not Article._by_slug (slug)
        let errors = no_such_article()
    then
        Requesting.respond (request, http_status: 404, errors)

    /// Unfavoriting an article that does not exist, with a valid token: 404
    /// (without one, `UnfavoriteUnauthorized`'s 401 alone).
    pub UnfavoriteArticleNotFound
    when
        Requesting.request (path: "/articles/:slug/favorite", method: "DELETE", slug, authorization) : (request)
    where
        Token._user (authorization) : (user)
        not Article._by_slug (slug)
        let errors = no_such_article()
    then
        Requesting.respond (request, http_status: 404, errors)
}

/// Registers the articles' syncs.
pub fn register(builder: syncs_runtime::EngineBuilder) -> syncs_runtime::EngineBuilder {
    builder
        .sync(ListTags)
        .sync(CreateArticle)
        .sync(CreateArticleInvalid)
        .sync(TagNewArticle)
        .sync(ArticleCreated)
        .sync(ArticleWriteUnauthorized)
        .sync(GetArticle)
        .sync(ListArticles)
        .sync(ListPagingInvalid)
        .sync(FeedPagingInvalid)
        .sync(Feed)
        .sync(FeedUnauthorized)
        // Its `not` step must see the article as the request found it, not
        // after UpdateArticle renamed it (Finding::AnswersAfterChange).
        .sync(ArticleChangeNotFound)
        .sync(UpdateArticle)
        .sync(UpdateArticleInvalid)
        .sync(ArticleUpdated)
        .sync(ArticleUpdateRefused)
        .sync(DeleteArticle)
        .sync(ForgetRemovedArticle)
        .sync(ArticleDeleted)
        .sync(ArticleDeleteRefused)
        .sync(ArticleForbidden)
        .sync(ArticleChangeUnauthorized)
        .sync(ArticleNotFound)
        .sync(FavoriteUnauthorized)
        .sync(UnfavoriteUnauthorized)
        .sync(Favorite)
        .sync(Unfavorite)
        .sync(Favorited)
        .sync(Unfavorited)
        .sync(FavoritedGone)
        .sync(AddComment)
        .sync(CommentInvalid)
        .sync(CommentAdded)
        .sync(CommentedGone)
        .sync(ListComments)
        .sync(DeleteComment)
        .sync(CommentDeleteRefused)
        .sync(CommentDeleted)
        .sync(CommentUnauthorized)
        .sync(CommentDeleteUnauthorized)
        .sync(CommentNotFound)
        .sync(CommentIdNotANumber)
        .sync(CommentsArticleNotFound)
        .sync(CommentArticleNotFound)
        .sync(FavoriteArticleNotFound)
        .sync(UnfavoriteArticleNotFound)
}
