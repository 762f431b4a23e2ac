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
    string UploadUrl,
    string SearchAction,
    string ConfigJson)
{
    /// <summary>The "Create account" link of visitors, when the farm lets them make their own accounts.</summary>
    public string? CreateAccountUrl { get; init; }

    /// <summary>The page tabs of a real page: its subject and talk pages, then read, edit and view history (MediaWiki's ca-* links).</summary>
    public IReadOnlyList<PageTab> Tabs { get; init; } = [];
}

/// <summary>A page tab: its MediaWiki id (<c>ca-history</c>), text and link.</summary>
public sealed record PageTab(string Id, string Text, string Url, bool Selected);

public sealed record ArticleModel(WikiChrome Chrome, string Title, string Html, string EditUrl, string RawUrl, int RevisionId)
{
    /// <summary>The category box: the page's categories.</summary>
    public IReadOnlyList<ListedPage> Categories { get; init; } = [];

    /// <summary>"(Redirected from X)", with the link to the redirect itself (<c>redirect=no</c>).</summary>
    public ListedPage? RedirectedFrom { get; init; }

    /// <summary>On a category page, its members.</summary>
    public IReadOnlyList<CategorySection> CategoryMembers { get; init; } = [];

    /// <summary>On a File page whose file exists: the file and its history.</summary>
    public FileSection? File { get; init; }
}

/// <summary>The file of a File page: its current version and every version, newest first.</summary>
public sealed record FileSection(string Url, int Width, int Height, string Size, string Mime, IReadOnlyList<FileHistoryRow> History)
{
    /// <summary>The shared repository's name when the file is from there, not from this wiki.</summary>
    public string? Repository { get; init; }
}

/// <summary>One version of a file in the File page's history table.</summary>
public sealed record FileHistoryRow(string Url, string Timestamp, bool Current, int Width, int Height, string Size, string User, string Comment);

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

/// <summary>A page in a list: its link (red when the page does not exist) and what is said of it.</summary>
public sealed record ListedPage(string Text, string Url, bool Exists = true, string? Note = null);

public sealed record FormField(string Name, string Label, string Value);

/// <summary>A GET form to index.php for a special page.</summary>
public sealed record SpecialForm(string Action, string Title, IReadOnlyList<FormField> Fields);

public sealed record SpecialListModel(
    WikiChrome Chrome,
    string Heading,
    SpecialForm? Form,
    string? Intro,
    IReadOnlyList<ListedPage> Items,
    string Empty,
    string? PreviousUrl,
    string? NextUrl);

/// <summary>One of a category page's three lists (subcategories, pages, files), with the link to its next part.</summary>
public sealed record CategorySection(string Id, string Heading, string Summary, IReadOnlyList<ListedPage> Members, string? NextUrl);

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

/// <summary>A page administration form: what it does, its fields, the button, and why the last try was refused.</summary>
public sealed record AdminFormModel(WikiChrome Chrome, string Heading, string Intro, string ActionUrl, string FormId, string Legend,
    IReadOnlyList<AdminField> Fields, string Token, string Submit, string SubmitId, string? Error);

public enum AdminFieldKind
{
    Text,
    Check,
    Choice,
}

/// <summary>One field of an <see cref="AdminFormModel"/>: a text box, a checkbox (value <c>1</c> when ticked) or a choice.</summary>
public sealed record AdminField(string Name, string Label, AdminFieldKind Kind, string Value)
{
    public IReadOnlyList<(string Value, string Text)> Options { get; init; } = [];
}

/// <summary>Special:CreateAccount: the form, what was typed (never the passwords) and why the last try was refused.</summary>
public sealed record CreateAccountModel(WikiChrome Chrome, string ActionUrl, string Token, string Name, string ReturnTo, bool ByLoggedInUser, string? Error);

public sealed record LogoutModel(WikiChrome Chrome, string ActionUrl, string Token);

public sealed record PreferencesModel(WikiChrome Chrome, string ActionUrl, string Token, IReadOnlyList<KeyValuePair<string, string>> Options, string? Message);

/// <summary>Another wiki of the farm, and whether its rules let this wiki's pages in (decided on the server, with the rule).</summary>
public sealed record DemoTarget(string Id, string Sitename, string ApiUrl, string RestUrl, bool Allowed, string Explanation);

/// <summary>The demo page: this wiki's origin, the other wikis, and the shared repository's name when the wiki has one (the upload example's target).</summary>
public sealed record DemoModel(WikiChrome Chrome, string Origin, IReadOnlyList<DemoTarget> Targets, string? SharedRepository);

/// <summary>The jsonfm page of api.php: the help module's HTML (made by the server, trusted), or else the pretty-printed JSON.</summary>
public sealed record ApiResultModel(string Sitename, string? Json, string? HelpHtml);

/// <summary>
/// Special:Upload: the form, with what the last try left (an error, warnings with the file kept in the stash
/// under <see cref="SessionKey"/>) and the values to show again.
/// </summary>
public sealed record UploadModel(
    WikiChrome Chrome,
    string ActionUrl,
    string Token,
    string DestFile,
    string Description,
    string? Error,
    IReadOnlyList<UploadWarningText> Warnings,
    string? SessionKey,
    string MaxSize,
    string Extensions,
    string ListFilesUrl);

/// <summary>One upload warning as Special:Upload words it, with the files it names.</summary>
public sealed record UploadWarningText(string Text, IReadOnlyList<ListedPage> Files);

/// <summary>One row of Special:ListFiles: the file's latest version.</summary>
public sealed record ListedFile(string Date, string Name, string PageUrl, string FileUrl, string? ThumbUrl, int ThumbWidth, int ThumbHeight, string Size, string User, string Description);

public sealed record ListFilesModel(WikiChrome Chrome, SpecialForm Form, IReadOnlyList<ListedFile> Files, string? NextUrl);

/// <summary>One line of a page's history: its links (cur, prev, the revision itself) and what the revision was.</summary>
public sealed record HistoryLine(int RevisionId, string Date, string RevisionUrl, string? CurUrl, string? PrevUrl, string User, string UserUrl, int Size, int SizeChange, bool Minor, string Comment);

/// <summary>?action=history: the revisions newest first, a compare form and the older page link.</summary>
public sealed record HistoryModel(WikiChrome Chrome, string Title, string CompareAction, string TitleParam, IReadOnlyList<HistoryLine> Lines, string? OlderUrl);

/// <summary>One side of a diff page's header.</summary>
public sealed record DiffSide(string Heading, string Url, string User, string Comment, string? NavigationText, string? NavigationUrl);

/// <summary>?diff=: the two revisions' headers, MediaWiki's diff table rows, and the newer revision below.</summary>
public sealed record DiffModel(WikiChrome Chrome, string Title, DiffSide? Old, DiffSide New, string Rows, string Html);

/// <summary>?oldid=: an older revision with MediaWiki's notice above it.</summary>
public sealed record OldRevisionModel(WikiChrome Chrome, string Title, string Notice, string CurrentUrl, string? PreviousUrl, string? NextUrl, string DiffUrl, string Html);
