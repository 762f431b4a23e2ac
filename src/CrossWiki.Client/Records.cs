using System.Text.Json.Nodes;

namespace CrossWiki.Client;

/// <summary>The user a session acts as, from <c>meta=userinfo</c>.</summary>
/// <param name="Id">The user id; 0 for an anonymous user.</param>
/// <param name="Name">The user name, or the IP address for an anonymous user.</param>
/// <param name="IsAnonymous">True when the session is not logged in.</param>
/// <param name="Groups">The user's groups, implicit ones (<c>*</c>, <c>user</c>) included.</param>
/// <param name="Rights">The user's rights.</param>
/// <param name="Options">The user's preferences when they were asked for, else null.</param>
public sealed record UserInfo(
    long Id,
    string Name,
    bool IsAnonymous,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Rights,
    IReadOnlyDictionary<string, JsonNode?>? Options);

/// <summary>The current revision of a page, handed to an edit's transform.</summary>
/// <param name="Title">The page title as the wiki normalized it.</param>
/// <param name="Content">The wikitext of the main slot.</param>
/// <param name="Timestamp">When the revision was saved (sent back as <c>basetimestamp</c>).</param>
public sealed record PageRevision(string Title, string Content, DateTimeOffset Timestamp);

/// <summary>The answer to <c>action=edit</c>.</summary>
/// <param name="Result"><c>Success</c>, or what the wiki said instead (e.g. <c>Failure</c> with a captcha).</param>
/// <param name="Title">The page title.</param>
/// <param name="PageId">The page id.</param>
/// <param name="OldRevisionId">The revision the edit replaced; 0 or null for a new page.</param>
/// <param name="NewRevisionId">The saved revision; null when nothing changed.</param>
/// <param name="NewTimestamp">When the revision was saved; null when nothing changed.</param>
/// <param name="NoChange">True when the text was the same and no revision was saved.</param>
/// <param name="Created">True when the edit created the page.</param>
/// <param name="Raw">The <c>edit</c> object of the answer as sent.</param>
public sealed record EditResult(
    string Result,
    string Title,
    long PageId,
    long? OldRevisionId,
    long? NewRevisionId,
    DateTimeOffset? NewTimestamp,
    bool NoChange,
    bool Created,
    JsonNode Raw);
