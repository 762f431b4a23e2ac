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

    /// <summary>The sidebar's and the personal links' special pages (n-recentchanges, t-specialpages, pt-mycontris, pt-watchlist).</summary>
    public required ChromeLinks Links { get; init; }
}

/// <summary>
/// The skin's links to special pages; <see cref="ContributionsUrl"/> and <see cref="WatchlistUrl"/> are null for anonymous users,
/// <see cref="InfoUrl"/> and <see cref="WhatLinksHereUrl"/> for pages that are not real pages (special pages).
/// </summary>
public sealed record ChromeLinks(string RecentChangesUrl, string RandomUrl, string SpecialPagesUrl, string? ContributionsUrl, string? WatchlistUrl, string? InfoUrl, string? WhatLinksHereUrl);

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

public sealed record MessageModel(WikiChrome Chrome, string Heading, string Message, int Status)
{
    /// <summary>The message as text and links, shown instead of <see cref="Message"/> when set.</summary>
    public IReadOnlyList<LinePart>? Parts { get; init; }
}

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

/// <summary>A piece of a line: text, or a link when <see cref="Url"/> is set (red when the page does not exist).</summary>
public sealed record LinePart(string Text, string? Url = null, bool Exists = true, string? Class = null, string? Tooltip = null);

/// <summary>A user name with MediaWiki's tool links: the user page, talk and contributions.</summary>
public sealed record UserLinks(string Name, string UserUrl, string TalkUrl, string ContribsUrl);

/// <summary>
/// One line of a change list (Special:RecentChanges, Special:Watchlist) in MediaWiki's old-style form; a log entry has
/// <see cref="LogName"/> and <see cref="LogAction"/> instead of the diff and history links and the size change.
/// </summary>
public sealed record ChangeLine(
    string Classes,
    int RevisionId,
    string Time,
    LinePart Title,
    string? DiffUrl,
    string? HistoryUrl,
    bool New,
    bool Minor,
    bool Bot,
    int SizeChange,
    int NewLength,
    UserLinks User,
    LinePart? LogName,
    IReadOnlyList<LinePart>? LogAction,
    string Comment);

/// <summary>The changes of one day, under its date heading.</summary>
public sealed record ChangeDay(string Heading, IReadOnlyList<ChangeLine> Lines);

/// <summary>A link of an options box or pager; the current choice is shown in bold.</summary>
public sealed record FilterLink(string Text, string Url, bool Selected = false);

/// <summary>A show/hide link of the options box: "<c>Show</c> bots", in a span of MediaWiki's class (<c>rcshowhidebots</c>).</summary>
public sealed record FilterToggle(string Class, string Verb, string Url, string Rest);

public sealed record NamespaceOption(int Id, string Name);

/// <summary>
/// The GET form under an options box: the text fields, the namespace selector with <c>invert</c> and
/// <c>associated</c>, and the other options kept as hidden fields.
/// </summary>
public sealed record NamespaceForm(string Action, string TitleParam, IReadOnlyList<FormField> Fields, IReadOnlyList<NamespaceOption> Namespaces, int? Selected,
    bool Invert, bool Associated, IReadOnlyList<FormField> Hidden);

/// <summary>Special:RecentChanges and Special:Watchlist: the options box, the namespace form and the changes by day.</summary>
public sealed record ChangesModel(
    WikiChrome Chrome,
    string Heading,
    string? Intro,
    string Legend,
    IReadOnlyList<FilterLink> Limits,
    IReadOnlyList<FilterLink> Days,
    IReadOnlyList<FilterToggle> Toggles,
    NamespaceForm Form,
    IReadOnlyList<ChangeDay> ChangeDays,
    string Empty)
{
    /// <summary>On Special:Watchlist, its "View and edit watchlist" link (Special:EditWatchlist).</summary>
    public string? EditWatchlistUrl { get; init; }
}

/// <summary>The watched pages of one namespace on Special:EditWatchlist.</summary>
public sealed record WatchedGroup(string Heading, IReadOnlyList<ListedPage> Pages);

/// <summary>Special:EditWatchlist: the watched pages by namespace with their check boxes, and what the last removal removed.</summary>
public sealed record EditWatchlistModel(WikiChrome Chrome, string ActionUrl, string Token, int Count, IReadOnlyList<WatchedGroup> Groups, IReadOnlyList<ListedPage> Removed, string? Error);

/// <summary>MediaWiki's paging links: (newest | oldest) View (newer N | older N) (20 | 50 | 100 | 250 | 500).</summary>
public sealed record PagerLinks(string? NewestUrl, string? OldestUrl, string? NewerUrl, string? OlderUrl, int Limit, IReadOnlyList<FilterLink> Limits);

/// <summary>One line of Special:Contributions.</summary>
public sealed record ContributionLine(int RevisionId, string Date, string RevisionUrl, string? DiffUrl, string HistoryUrl, int SizeChange, bool New, bool Minor, LinePart Title, string Comment, bool Current);

/// <summary>Special:Contributions: the target's links (null without a target), a notice, the form, the lines and the pager.</summary>
public sealed record ContributionsModel(WikiChrome Chrome, UserLinks? Target, string? Notice, NamespaceForm Form, IReadOnlyList<ContributionLine> Lines, PagerLinks? Pager, string Empty);

/// <summary>One line of Special:Log: "time User (talk | contribs) moved page A to B (reason)"; <see cref="Before"/> goes before the user (newusers).</summary>
public sealed record LogLine(long Id, string TypeAction, string Date, string? Before, UserLinks User, IReadOnlyList<LinePart> Action, string Comment);

/// <summary>A choice of a select element.</summary>
public sealed record SelectOption(string Value, string Label);

/// <summary>Special:Log: the type selector with the user and page fields, the lines and the pager.</summary>
public sealed record LogModel(WikiChrome Chrome, string Heading, string? Intro, string Action, string TitleParam, IReadOnlyList<SelectOption> Types, string Type,
    string User, string Page, IReadOnlyList<LogLine> Lines, PagerLinks Pager);

/// <summary>A row of ?action=info's tables (MediaWiki's <c>mw-pageinfo-*</c> id), its value as text and links.</summary>
public sealed record InfoRow(string Id, string Label, IReadOnlyList<LinePart> Value);

public sealed record InfoSection(string Id, string Heading, IReadOnlyList<InfoRow> Rows);

/// <summary>?action=info: "Information for "X"" and its tables.</summary>
public sealed record InfoModel(WikiChrome Chrome, string Title, IReadOnlyList<InfoSection> Sections);

/// <summary>A group of Special:SpecialPages (MediaWiki's <c>specialpages-group-*</c>).</summary>
public sealed record SpecialPageGroup(string Id, string Heading, IReadOnlyList<ListedPage> Pages);

public sealed record SpecialPagesModel(WikiChrome Chrome, IReadOnlyList<SpecialPageGroup> Groups);

/// <summary>Special:Version: the software, what the farm adds as MediaWiki's extensions would, and the entry points.</summary>
public sealed record VersionModel(WikiChrome Chrome, IReadOnlyList<InfoRow> Software, IReadOnlyList<InfoRow> Extensions, IReadOnlyList<InfoRow> EntryPoints);
