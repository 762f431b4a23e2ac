using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>What the expansion is for (MediaWiki's output types): a page's HTML, <c>action=expandtemplates</c>, or the pre-save transform.</summary>
internal enum ExpansionMode
{
    /// <summary>OT_HTML: everything is expanded, comments dropped, <c>subst:</c> left as written.</summary>
    Html,

    /// <summary>OT_PREPROCESS: as for HTML, comments kept when asked; extension tags are left whole.</summary>
    Preprocess,

    /// <summary>OT_WIKI: only <c>subst:</c> and <c>safesubst:</c> are expanded; the rest is kept as written.</summary>
    Pst,
}

/// <summary>The wiki a text is expanded on: what the site's magic words give.</summary>
internal sealed record ExpansionSite(NamespaceTable Namespaces, string Sitename, string Server, string ScriptPath, string ArticlePath)
{
    public string ServerName => Uri.TryCreate(Server.StartsWith("//", StringComparison.Ordinal) ? "http:" + Server : Server, UriKind.Absolute, out var uri) ? uri.Host : Server;

    public static ExpansionSite For(Farm.Wiki wiki)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        return new ExpansionSite(wiki.Namespaces, wiki.Sitename, wiki.Server, wiki.ScriptPath, wiki.ArticlePath);
    }
}

/// <summary>The page being expanded, its revision (for the REVISION* words), and the clock.</summary>
internal sealed record ExpansionPage(Title Title, DateTimeOffset Now)
{
    public ExpansionMode Mode { get; init; } = ExpansionMode.Html;

    public int PageId { get; init; }

    public int? RevisionId { get; init; }

    public DateTimeOffset? RevisionTimestamp { get; init; }

    public string? RevisionUser { get; init; }

    /// <summary>In <see cref="ExpansionMode.Preprocess"/>: keep comments (expandtemplates' includecomments).</summary>
    public bool IncludeComments { get; init; }
}

/// <summary>A page the expansion read: its text (null when it does not exist), the title it was found under after a redirect, and its ids.</summary>
internal sealed record LoadedPage(Title Title, string? Text, int PageId, int RevisionId)
{
    public bool Exists => Text is not null;
}

/// <summary>The wiki's counts for NUMBEROF*.</summary>
internal sealed record SiteStatistics(long Pages, long Articles, long Edits, long Users, long Files, long Admins);

/// <summary>
/// What the expansion may read: pages (templates, messages, #ifexist targets) loaded so far and the site's counts.
/// What it did not have yet is added to <see cref="WantedPages"/> (or <see cref="WantsStatistics"/>) and the
/// expansion is run again once they are loaded (<see cref="TemplateExpansion"/>), so the expansion itself stays
/// synchronous and pure.
/// </summary>
internal sealed class ExpansionSources
{
    private readonly Dictionary<(int, string), LoadedPage> _pages = [];

    public HashSet<(int Namespace, string DbKey)> WantedPages { get; } = [];

    public SiteStatistics? Statistics { get; set; }

    public bool WantsStatistics { get; set; }

    public void Add(Title asked, LoadedPage page)
    {
        ArgumentNullException.ThrowIfNull(asked);
        _pages[(asked.Namespace, asked.DbKey)] = page;
    }

    /// <summary>The page of this title when loaded; else null, and it is wanted.</summary>
    public LoadedPage? Get(Title title)
    {
        if (_pages.TryGetValue((title.Namespace, title.DbKey), out var page))
        {
            return page;
        }

        WantedPages.Add((title.Namespace, title.DbKey));
        return null;
    }

    public bool Complete => WantedPages.Count == 0 && !WantsStatistics;

    /// <summary>The pages loaded, by the title asked for, with the revision read (0 when missing).</summary>
    public List<(int Namespace, string DbKey, int RevisionId)> Loaded => [.. _pages.Select(p => (p.Key.Item1, p.Key.Item2, p.Value.RevisionId))];
}

/// <summary>The values of MediaWiki's limit report (<c>limitreport-*</c>).</summary>
internal sealed record LimitReport(int VisitedNodes, long PostExpandIncludeSize, long TemplateArgumentSize, int HighestExpansionDepth, int ExpensiveFunctionCount, int UnstripDepth, long UnstripSize);

/// <summary>The expanded text and what the expansion found out.</summary>
internal sealed class ExpansionResult
{
    public required string Text { get; init; }

    /// <summary>The pages transcluded (templates), missing ones too, each once, in the order they were first used (MediaWiki's templatelinks).</summary>
    public IReadOnlyList<(Title Title, bool Exists)> Templates { get; init; } = [];

    /// <summary>Pages linked by <c>#ifexist</c> (MediaWiki records them as page links).</summary>
    public IReadOnlyList<Title> Links { get; init; } = [];

    /// <summary>The warnings of parsewarnings, as wikitext.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Tracking categories, by category name (DB key).</summary>
    public IReadOnlyList<string> TrackingCategories { get; init; } = [];

    public string? DisplayTitle { get; init; }

    public string? DefaultSort { get; init; }

    /// <summary>The shortest cache lifetime a magic word asked for, in seconds (time and statistics words); null when none did.</summary>
    public int? CacheTtl { get; init; }

    /// <summary>Every page the expansion read (templates, #ifexist targets, messages), missing ones too, with the revision read (0 when missing).</summary>
    public IReadOnlyList<(int Namespace, string DbKey, int RevisionId)> Dependencies { get; init; } = [];

    /// <summary>Whether the output depends on the revision being rendered (REVISIONID and friends, expandtemplates' "volatile").</summary>
    public bool Volatile { get; init; }

    public required LimitReport Limits { get; init; }
}

/// <summary>
/// MediaWiki's preprocessor expansion (<c>PPFrame_Hash::expand</c>, <c>Parser::braceSubstitution</c>,
/// <c>Parser::argSubstitution</c>): templates with their parameters, magic words and parser functions, within
/// MediaWiki 1.39's default limits ($wgMaxTemplateDepth 100, $wgMaxPPExpandDepth 100, $wgMaxPPNodeCount 1,000,000,
/// $wgMaxArticleSize × 1024 bytes of post-expand include size), with its warnings and tracking categories.
/// One instance expands one text; pages it needs and does not have are left to <see cref="ExpansionSources"/>.
/// </summary>
internal sealed partial class Preprocessor
{
    public const int MaxTemplateDepth = 100;
    public const int MaxExpandDepth = 100;
    public const int MaxNodeCount = 1_000_000;
    public const long MaxIncludeSize = 2048L * 1024;
    public const int ExpensiveFunctionLimit = 100;

    private readonly ExpansionSite _site;
    private readonly ExpansionPage _page;
    private readonly ExpansionSources _sources;
    private readonly Dictionary<(int, string), List<PNode>> _templateTrees = [];
    private readonly List<(Title, bool)> _templates = [];
    private readonly HashSet<(int, string)> _templateSet = [];
    private readonly List<Title> _links = [];
    private readonly HashSet<(int, string)> _linkSet = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _categories = [];
    private int _visited;
    private int _depth;
    private int _highestDepth;
    private long _postExpandSize;
    private long _argumentSize;
    private int _unstripDepth;
    private long _unstripSize;

    public Preprocessor(ExpansionSite site, ExpansionPage page, ExpansionSources sources)
    {
        _site = site;
        _page = page;
        _sources = sources;
    }

    public ExpansionSite Site => _site;

    public ExpansionPage Page => _page;

    public ExpansionSources Sources => _sources;

    public ExpansionMode Mode => _page.Mode;

    public string? DisplayTitle { get; set; }

    public string? DefaultSort { get; set; }

    public int? CacheTtl { get; private set; }

    public bool Volatile { get; set; }

    public int ExpensiveCount { get; private set; }

    /// <summary>The texts held out of the expansion by strip markers (Parser::insertStripItem), by marker number.</summary>
    private readonly List<string> _stripped = [];

    /// <summary>
    /// A strip marker for <paramref name="text"/>, as MediaWiki's (<c>DEL'"`UNIQ-item-N-QINU`"'DEL</c>): the include
    /// size counts the marker, not the text, as MediaWiki's does; <see cref="Run"/> puts the texts back.
    /// </summary>
    private string Strip(string text)
    {
        var marker = "\u007F'\"`UNIQ-item-" + _stripped.Count.ToString(CultureInfo.InvariantCulture) + "-QINU`\"'\u007F";
        _stripped.Add(text);
        return marker;
    }

    private string Unstrip(string text)
    {
        for (var pass = 0; pass < 20 && _stripped.Count > 0 && text.Contains('\u007F', StringComparison.Ordinal); pass++)
        {
            text = StripMarker().Replace(text, m => int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < _stripped.Count ? _stripped[n] : "");
        }

        return text;
    }

    [System.Text.RegularExpressions.GeneratedRegex("\u007F'\"`UNIQ-item-(\\d+)-QINU`\"'\u007F")]
    private static partial System.Text.RegularExpressions.Regex StripMarker();

    /// <summary>Expands a whole text as the page's own (not for inclusion).</summary>
    public ExpansionResult Run(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // DEL is never part of wikitext (the renderer drops it too), so no text can forge a strip marker.
        var tree = PreprocessorTree.Build(text.Replace("\u007F", "", StringComparison.Ordinal), forInclusion: false);
        var output = Unstrip(Expand(tree, new Frame(null, null, 0, null), ExpandFlags.None));
        return new ExpansionResult
        {
            Text = output,
            Templates = _templates,
            Links = _links,
            Warnings = _warnings,
            TrackingCategories = _categories,
            DisplayTitle = DisplayTitle,
            DefaultSort = DefaultSort,
            CacheTtl = CacheTtl,
            Volatile = Volatile,
            Dependencies = _sources.Loaded,
            Limits = new LimitReport(_visited, _postExpandSize, _argumentSize, _highestDepth, ExpensiveCount, _unstripDepth, _unstripSize),
        };
    }

    [Flags]
    public enum ExpandFlags
    {
        None = 0,
        StripComments = 1,
    }

    /// <summary>A frame: the page itself, or a template called with its arguments (MediaWiki's PPTemplateFrame).</summary>
    public sealed class Frame(Frame? parent, Title? title, int depth, Dictionary<string, (List<PNode> Nodes, bool Named)>? args)
    {
        private readonly Dictionary<string, string> _expanded = new(StringComparer.Ordinal);

        public Frame? Parent { get; } = parent;

        public Title? Title { get; } = title;

        public int Depth { get; } = depth;

        public bool IsTemplate => Parent is not null;

        public Dictionary<string, (List<PNode> Nodes, bool Named)>? Args { get; } = args;

        public bool LoopCheck(Title title)
        {
            for (var f = this; f is not null; f = f.Parent)
            {
                if (f.Title is { } t && t.Namespace == title.Namespace && t.DbKey == title.DbKey)
                {
                    return false;
                }
            }

            return true;
        }

        public bool TryGetExpanded(string name, out string value) => _expanded.TryGetValue(name, out value!);

        /// <summary>PPFrame's childExpansionCache: the expansions of templates called from this frame without arguments, by title.</summary>
        public Dictionary<string, string> ChildExpansions { get; } = new(StringComparer.Ordinal);

        public void SetExpanded(string name, string value) => _expanded[name] = value;
    }

    public void AddWarning(string wikitext) => _warnings.Add(wikitext);

    /// <summary>Adds a tracking category by its message key (<c>template-loop-category</c>...), as Parser::addTrackingCategory.</summary>
    public void AddTrackingCategory(string messageKey)
    {
        if (InterfaceMessages.Defaults.TryGetValue(messageKey, out var name) || TrackingCategoryNames.TryGetValue(messageKey, out name))
        {
            var key = name.Replace(' ', '_');
            if (!_categories.Contains(key))
            {
                _categories.Add(key);
            }
        }
    }

    private static readonly Dictionary<string, string> TrackingCategoryNames = new(StringComparer.Ordinal)
    {
        ["template-loop-category"] = "Pages with template loops",
        ["post-expand-template-inclusion-category"] = "Pages where template include size is exceeded",
        ["post-expand-template-argument-category"] = "Pages containing omitted template arguments",
        ["expansion-depth-exceeded-category"] = "Pages where expansion depth is exceeded",
        ["node-count-exceeded-category"] = "Pages where node count is exceeded",
        ["duplicate-args-category"] = "Pages using duplicate arguments in template calls",
        ["expensive-parserfunction-category"] = "Pages with too many expensive parser function calls",
        ["restricted-displaytitle-ignored"] = "Pages with ignored display titles",
    };

    private static readonly Dictionary<string, string> WarningTexts = new(StringComparer.Ordinal)
    {
        ["post-expand-template-inclusion-warning"] = "<strong>Warning:</strong> Template include size is too large.\nSome templates will not be included.",
        ["post-expand-template-argument-warning"] = "<strong>Warning:</strong> This page contains at least one template argument that has a too large expansion size.\nThese arguments have been omitted.",
        ["expansion-depth-exceeded-warning"] = "Page exceeded the expansion depth",
        ["node-count-exceeded-warning"] = "Page exceeded the node count",
        ["expensive-parserfunction-warning"] = "<strong>Warning:</strong> This page contains too many expensive parser function calls.\n\nIt should have less than $2 {{PLURAL:$2|call|calls}}, there {{PLURAL:$1|is now $1 call|are now $1 calls}}.",
    };

    /// <summary>Parser::limitationWarn: the warning (once per kind) and its tracking category.</summary>
    public void LimitationWarn(string type, long current = 0, long max = 0)
    {
        var text = WarningTexts[type + "-warning"];
        text = InterfaceMessages.Expand(InterfaceMessages.WithParameters(text, [Number(current), Number(max)]), _site.Sitename);
        if (!_warnings.Contains(text))
        {
            _warnings.Add(text);
        }

        AddTrackingCategory(type + "-category");
    }

    private static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public void LowerCacheTtl(int seconds) => CacheTtl = CacheTtl is { } ttl ? Math.Min(ttl, seconds) : seconds;

    /// <summary>Parser::incrementExpensiveFunctionCount: false once over the limit (and warned).</summary>
    public bool IncrementExpensiveCount()
    {
        ExpensiveCount++;
        if (ExpensiveCount > ExpensiveFunctionLimit)
        {
            LimitationWarn("expensive-parserfunction", ExpensiveCount, ExpensiveFunctionLimit);
            return false;
        }

        return true;
    }

    public void AddLink(Title title)
    {
        if (_linkSet.Add((title.Namespace, title.DbKey)))
        {
            _links.Add(title);
        }
    }

    private void AddTemplate(Title title, bool exists)
    {
        if (_templateSet.Add((title.Namespace, title.DbKey)))
        {
            _templates.Add((title, exists));
        }
    }

    private bool IncrementIncludeSize(bool argument, long size)
    {
        if (argument)
        {
            if (_argumentSize + size > MaxIncludeSize)
            {
                return false;
            }

            _argumentSize += size;
            return true;
        }

        if (_postExpandSize + size > MaxIncludeSize)
        {
            return false;
        }

        _postExpandSize += size;
        return true;
    }

    public string Expand(List<PNode> nodes, Frame frame, ExpandFlags flags = ExpandFlags.None)
    {
        if (++_visited > MaxNodeCount)
        {
            LimitationWarn("node-count-exceeded", _visited, MaxNodeCount);
            return "<span class=\"error\">Node-count limit exceeded</span>";
        }

        if (_depth > MaxExpandDepth)
        {
            LimitationWarn("expansion-depth-exceeded", _depth, MaxExpandDepth);
            return "<span class=\"error\">Expansion depth limit exceeded</span>";
        }

        _depth++;
        _highestDepth = Math.Max(_highestDepth, _depth);
        try
        {
            return ExpandNodes(nodes, frame, flags);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>How deep inline expansions (<see cref="ExpandInline"/>) may nest before they count as expansions: a bound on the stack.</summary>
    private const int MaxInlineDepth = 300;

    private int _inlineDepth;

    /// <summary>
    /// Expands nodes within the current expansion, as MediaWiki does with the nodes a brace returns as an object (a call
    /// left as written, a parameter's default): no new expansion level, no node counted.
    /// </summary>
    private string ExpandInline(List<PNode> nodes, Frame frame, ExpandFlags flags = ExpandFlags.None)
    {
        if (_inlineDepth >= MaxInlineDepth)
        {
            return Expand(nodes, frame, flags);
        }

        _inlineDepth++;
        try
        {
            return ExpandNodes(nodes, frame, flags);
        }
        finally
        {
            _inlineDepth--;
        }
    }

    private string ExpandNodes(List<PNode> nodes, Frame frame, ExpandFlags flags)
    {
        if (nodes.Count == 1 && nodes[0] is PText only)
        {
            return only.Builder.ToString();
        }

        var sb = new StringBuilder();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case PText text:
                    sb.Append(text.Builder);
                    break;
                case PEquals:
                    sb.Append('=');
                    break;
                case PTemplate template:
                    sb.Append(Brace(template, frame));
                    break;
                case PArgument argument:
                    sb.Append(Argument(argument, frame));
                    break;
                case PComment comment:
                    if (Mode == ExpansionMode.Pst || (Mode == ExpansionMode.Preprocess && _page.IncludeComments && (flags & ExpandFlags.StripComments) == 0))
                    {
                        sb.Append(comment.Text);
                    }

                    break;
                case PIgnore ignore:
                    if (Mode == ExpansionMode.Pst && !frame.IsTemplate)
                    {
                        sb.Append(ignore.Text);
                    }

                    break;
                case PExt ext:
                    sb.Append(Extension(ext, frame));
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The tags whose content the renderer parses as wikitext, so that their braces are expanded here first (Cite, Poem, gallery captions).</summary>
    private static readonly HashSet<string> ParsedContentTags = new(StringComparer.OrdinalIgnoreCase) { "ref", "references", "poem", "gallery", "indicator" };

    private string Extension(PExt ext, Frame frame)
    {
        if (Mode == ExpansionMode.Html && ext.Inner is not null && ParsedContentTags.Contains(ext.Name))
        {
            // Cite parses a reference's text outside the template that holds it: its templates expand, its {{{parameters}}} stay as written.
            var innerFrame = ext.Name.Equals("ref", StringComparison.OrdinalIgnoreCase) || ext.Name.Equals("references", StringComparison.OrdinalIgnoreCase)
                ? new Frame(null, null, 0, null)
                : frame;
            var inner = Expand(PreprocessorTree.Build(ext.Inner, forInclusion: false), innerFrame);
            var tag = "<" + ext.Name + ext.Attributes + ">" + inner + (ext.Close ?? "</" + ext.Name + ">");
            _unstripDepth = Math.Max(_unstripDepth, 1);
            _unstripSize += tag.Length;
            return tag;
        }

        if (Mode == ExpansionMode.Html)
        {
            _unstripDepth = Math.Max(_unstripDepth, 1);
            _unstripSize += ext.Source.Length;
        }

        return ext.Source;
    }

    private string Argument(PArgument argument, Frame frame)
    {
        var nameWithSpaces = Expand(argument.Title, frame);
        var name = nameWithSpaces.Trim();
        string? text = GetArgument(frame, name);
        List<PNode>? fallback = null;
        if (text is null && argument.Parts.Count > 0 && (Mode != ExpansionMode.Pst || frame.IsTemplate))
        {
            fallback = argument.Parts[0].Nodes;
        }

        string? error = null;
        if (!IncrementIncludeSize(argument: true, Encoding.UTF8.GetByteCount(text ?? "")))
        {
            error = Strip("<!-- WARNING: argument omitted, expansion size too large -->");
            text = null;
            LimitationWarn("post-expand-template-argument");
        }

        if (text is null && fallback is null)
        {
            return Bracketed("{{{", nameWithSpaces, argument.Parts, frame, "}}}") + error;
        }

        return fallback is not null ? ExpandInline(fallback, frame) + error : text + error;
    }

    /// <summary>PPTemplateFrame::getArgument: a numbered argument as given, a named one trimmed; null when the frame has none.</summary>
    private string? GetArgument(Frame frame, string name)
    {
        if (frame.Parent is null || frame.Args is null || !frame.Args.TryGetValue(name, out var arg))
        {
            return null;
        }

        if (frame.TryGetExpanded(name, out var value))
        {
            return value;
        }

        value = Expand(arg.Nodes, frame.Parent, ExpandFlags.StripComments);
        if (arg.Named)
        {
            value = TrimPhp(value);
        }

        frame.SetExpanded(name, value);
        return value;
    }

    /// <summary>PPFrame::virtualBracketedImplode: the call as written, its parts expanded.</summary>
    private string Bracketed(string open, string name, List<PPart> parts, Frame frame, string close)
    {
        var sb = new StringBuilder(open).Append(name);
        foreach (var part in parts)
        {
            sb.Append('|').Append(ExpandInline(part.Nodes, frame));
        }

        return sb.Append(close).ToString();
    }

    /// <summary>PHP's trim: spaces, tabs, line breaks, NUL and vertical tabs.</summary>
    public static string TrimPhp(string s) => s.Trim(' ', '\t', '\n', '\r', '\0', '\v');

    private string Brace(PTemplate piece, Frame frame)
    {
        var titleWithSpaces = Expand(piece.Title, frame);
        var part1 = TrimPhp(titleWithSpaces);
        string? text = null;
        var isLocal = false;

        // subst: and safesubst: (MagicWordArray::matchStartAndRemove, case-insensitive).
        string? subst = null;
        foreach (var word in (ReadOnlySpan<string>)["safesubst:", "subst:"])
        {
            if (part1.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                subst = word[..^1];
                part1 = TrimPhp(part1[word.Length..]);
                break;
            }
        }

        var literal = Mode == ExpansionMode.Pst ? subst is null : subst == "subst";
        if (literal)
        {
            return Bracketed("{{", titleWithSpaces, piece.Parts, frame, "}}");
        }

        // Variables: magic words alone, without arguments.
        if (piece.Parts.Count == 0 && MagicWords.TryVariable(this, part1, frame) is { } variable)
        {
            text = variable;
        }

        var nowiki = false;
        if (text is null)
        {
            if (part1.StartsWith("msgnw:", StringComparison.OrdinalIgnoreCase))
            {
                nowiki = true;
                part1 = part1[6..];
            }
            else if (part1.StartsWith("msg:", StringComparison.OrdinalIgnoreCase))
            {
                part1 = part1[4..];
            }

            if (part1.StartsWith("raw:", StringComparison.OrdinalIgnoreCase))
            {
                part1 = part1[4..];
            }
        }

        // Parser functions: {{name:first|...}}.
        if (text is null && part1.IndexOf(':', StringComparison.Ordinal) is var colon && colon >= 0)
        {
            var function = part1[..colon];
            var first = TrimPhp(part1[(colon + 1)..]);
            if (ParserFunctions.TryCall(this, frame, function, first, piece.Parts) is { } result)
            {
                text = result;
            }
        }

        Title? title = null;
        if (text is null)
        {
            var name = part1;
            var ns = NamespaceTable.Template;
            if (name.StartsWith('/') && _site.Namespaces.TryGet(_page.Title.Namespace, out var info) && info.Subpages)
            {
                name = _page.Title.PrefixedText + name.TrimEnd('/');
                ns = NamespaceTable.Main;
            }

            title = name.Length == 0 || name.StartsWith('#') ? null : TitleParser.Parse(name, _site.Namespaces, ns).Title;
            if (title is { Fragment: not null })
            {
                title = Title.Create(_site.Namespaces, title.Namespace, title.DbKey);
            }

            if (title is not null && frame.Depth >= MaxTemplateDepth)
            {
                text = "<span class=\"error\">Template recursion depth limit exceeded (" + MaxTemplateDepth.ToString(CultureInfo.InvariantCulture) + ")</span>";
                isLocal = true;
            }
            else if (title is { Namespace: >= 0 })
            {
                text = Transclude(title, piece, frame, nowiki);
                if (text is null)
                {
                    // A page being loaded (the expansion is run again once it is), or missing in the pre-save transform.
                    return _sources.Get(title) is { Exists: false } ? Bracketed("{{", titleWithSpaces, piece.Parts, frame, "}}") : "";
                }
            }
            else if (title is not null)
            {
                // Special and Media pages are not transcluded: a link to them.
                text = "[[:" + title.PrefixedText + "]]";
            }
            else
            {
                return Bracketed("{{", titleWithSpaces, piece.Parts, frame, "}}");
            }
        }

        if (isLocal)
        {
            return text;
        }

        // T2529: a template that starts with a table or a list starts a new line.
        if (!piece.LineStart && text.Length > 0 && (text.StartsWith("{|", StringComparison.Ordinal) || text[0] is ':' or ';' or '#' or '*'))
        {
            text = "\n" + text;
        }

        if (!IncrementIncludeSize(argument: false, Encoding.UTF8.GetByteCount(text)))
        {
            text = "[[:" + (title?.PrefixedText ?? part1.TrimStart(':')) + "]]" + Strip("<!-- WARNING: template omitted, post-expand include size too large -->");
            LimitationWarn("post-expand-template-inclusion");
        }

        return text;
    }

    /// <summary>A template's expansion in a new frame; a red link when it does not exist; null while it is being loaded.</summary>
    private string? Transclude(Title title, PTemplate piece, Frame frame, bool nowiki)
    {
        var loaded = _sources.Get(title);
        if (loaded is null)
        {
            return null;
        }

        var target = loaded.Title;
        var redirected = target.Namespace != title.Namespace || target.DbKey != title.DbKey;
        AddTemplate(title, redirected || loaded.Exists);
        if (redirected)
        {
            AddTemplate(target, loaded.Exists);
        }

        if (!frame.LoopCheck(target))
        {
            var name = target.PrefixedText;
            AddWarning("<strong>Warning:</strong> This page calls [[:" + name + "]] which causes a template loop (an infinite recursive call).");
            AddTrackingCategory("template-loop-category");
            return "<span class=\"error\">Template loop detected: [[" + name + "]]</span>";
        }

        if (loaded.Text is null)
        {
            // A missing page shows as a red link; the pre-save transform leaves the call as written.
            return Mode == ExpansionMode.Pst ? null : "[[:" + title.PrefixedText + "]]";
        }

        if (nowiki)
        {
            // msgnw: the template's source, escaped (wfEscapeWikiText).
            return MagicWords.EscapeWikiText(loaded.Text);
        }

        if (!_templateTrees.TryGetValue((target.Namespace, target.DbKey), out var tree))
        {
            tree = PreprocessorTree.Build(loaded.Text.Replace("\u007F", "", StringComparison.Ordinal), forInclusion: true);
            _templateTrees[(target.Namespace, target.DbKey)] = tree;
        }

        // A call without arguments is expanded once per calling frame (PPTemplateFrame::cachedExpand).
        var cacheKey = target.PrefixedDbKey;
        if (piece.Parts.Count == 0 && frame.ChildExpansions.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var child = new Frame(frame, target, frame.Depth + 1, Arguments(piece.Parts, frame, target));
        var expanded = Expand(tree, child);
        if (piece.Parts.Count == 0)
        {
            frame.ChildExpansions[cacheKey] = expanded;
        }

        return expanded;
    }

    /// <summary>PPFrame::newChild: the arguments by name ("1", "2"... for positional ones), later ones winning with a warning.</summary>
    private Dictionary<string, (List<PNode>, bool)> Arguments(List<PPart> parts, Frame frame, Title template)
    {
        var args = new Dictionary<string, (List<PNode>, bool)>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            string key;
            bool named;
            if (part.EqualsAt < 0)
            {
                key = part.Index.ToString(CultureInfo.InvariantCulture);
                named = false;
            }
            else
            {
                key = TrimPhp(Expand(part.Name, frame, ExpandFlags.StripComments));
                named = true;
            }

            if (args.ContainsKey(key))
            {
                var caller = frame.Title ?? _page.Title;
                AddWarning("<strong>Warning:</strong> [[:" + caller.PrefixedText + "]] is calling [[:" + template.PrefixedText
                    + "]] with more than one value for the \"" + key + "\" parameter. Only the last value provided will be used.");
                AddTrackingCategory("duplicate-args-category");
            }

            args[key] = (named ? part.Value : part.Nodes, named);
        }

        return args;
    }

    /// <summary>Expands a message's or parser function's wikitext (noparse false) in the current frame.</summary>
    public string ExpandText(string text, Frame frame) => Expand(PreprocessorTree.Build(text, forInclusion: false), frame);
}
