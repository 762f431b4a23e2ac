namespace CrossWiki.Server.Web;

// Razor components are public classes, so what they render comes in as these public, plain records.

/// <summary>What every page of a wiki shows around its content.</summary>
public sealed record WikiChrome(
    string Sitename,
    string ScriptPath,
    string MainPageUrl,
    string? UserName,
    string LoginUrl,
    string LogoutUrl,
    string PreferencesUrl,
    string DemoUrl,
    string SearchAction,
    string ConfigJson);

public sealed record ArticleModel(WikiChrome Chrome, string Title, string Html, string EditUrl, string RawUrl, int RevisionId);

/// <summary>One found page on Special:Search; <see cref="SnippetHtml"/> is escaped text with the matches marked.</summary>
public sealed record SearchResultRow(string Title, string Url, string SnippetHtml, string Info);

public sealed record SearchModel(
    WikiChrome Chrome,
    string Query,
    IReadOnlyList<SearchResultRow> Results,
    int Total,
    int Offset,
    int Limit,
    string? PreviousUrl,
    string? NextUrl,
    string? ExactTitle,
    string? ExactUrl,
    string? CreateUrl);

public sealed record MessageModel(WikiChrome Chrome, string Heading, string Message, int Status);

public sealed record EditModel(
    WikiChrome Chrome,
    string Title,
    string ActionUrl,
    string Text,
    string Summary,
    string Token,
    int BaseRevisionId,
    string StartTime,
    bool Conflict,
    string? CurrentText,
    string? Error);

public sealed record LoginModel(WikiChrome Chrome, string ActionUrl, string Token, string Name, string ReturnTo, string? Error);

public sealed record LogoutModel(WikiChrome Chrome, string ActionUrl, string Token);

public sealed record PreferencesModel(WikiChrome Chrome, string ActionUrl, string Token, IReadOnlyList<KeyValuePair<string, string>> Options, string? Message);

/// <summary>Another wiki of the farm, and whether its rules let this wiki's pages in (decided on the server, with the rule).</summary>
public sealed record DemoTarget(string Id, string Sitename, string ApiUrl, string RestUrl, bool Allowed, string Explanation);

public sealed record DemoModel(WikiChrome Chrome, string Origin, IReadOnlyList<DemoTarget> Targets);

/// <summary>The jsonfm page of api.php: the help module's HTML (made by the server, trusted), or else the pretty-printed JSON.</summary>
public sealed record ApiResultModel(string Sitename, string? Json, string? HelpHtml);
