using System.Buffers;
using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages;

/// <summary>
/// How a page is rendered: its title (for section edit links; none without it), whether the edit links and the
/// table of contents are shown (action=parse's disableeditsection and disabletoc), and the class of the wrapper.
/// </summary>
internal sealed record RenderOptions(Title? Title = null, bool EditSections = true, bool Toc = true, string WrapClass = "mw-parser-output")
{
    public static RenderOptions Default { get; } = new();
}

internal sealed record WikitextContext(
    NamespaceTable Namespaces,
    Func<Title, bool> PageExists,
    string ArticlePath,
    string ScriptPath);

internal static partial class WikitextRenderer
{
    /// <summary>Renders wikitext, asking <see cref="WikitextContext.PageExists"/> once per distinct link target.</summary>
    public static string Render(string wikitext, WikitextContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        LinkHolders holders = RenderWithHolders(wikitext, ctx.Namespaces, ctx.ArticlePath, ctx.ScriptPath);
        return holders.Fill([.. holders.Targets.Select(t => ctx.PageExists(Title.Create(ctx.Namespaces, t.Namespace, t.DbKey)))]);
    }

    /// <summary>Renders wikitext with its internal links left as holders, to be filled once their targets are looked up.</summary>
    public static LinkHolders RenderWithHolders(string wikitext, NamespaceTable namespaces, string articlePath, string scriptPath, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(wikitext);
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(articlePath);
        ArgumentNullException.ThrowIfNull(scriptPath);
        var renderer = new Renderer(namespaces, options ?? RenderOptions.Default, scriptPath);
        string body = renderer.Run(wikitext);
        return new LinkHolders(body, renderer.Targets, renderer.Holders, namespaces, articlePath, scriptPath, (options ?? RenderOptions.Default).WrapClass)
        {
            Categories = renderer.Categories,
            Images = renderer.Images,
            ExternalLinks = renderer.ExternalLinks,
            Switches = renderer.Switches,
            Sections = renderer.Sections,
        };
    }

    private enum PieceKind
    {
        Text,
        Html,
        Quote,
        Category,

        // An internal link: its label's HTML, and the holder its opening tag waits in (LinkHolders).
        Link,

        // An embedded file: the holder its opening HTML waits in (it needs the file's size), then its caption's HTML and closing tags.
        Image,
    }

    private enum QuoteState
    {
        None,
        Bold,
        Italic,
        BoldItalic,
        ItalicBold,
        Both,
    }

    private readonly record struct Piece(PieceKind Kind, string Value, int Holder = -1)
    {
        public static Piece Text(string value) => new(PieceKind.Text, value);

        public static Piece Html(string value) => new(PieceKind.Html, value);
    }

    private readonly record struct Atom(string Html, bool IsBlock, BlockMatch Match = BlockMatch.None);

    /// <summary>What BlockLevelPass sees in a line: a tag that opens a block, one that closes it, or both.</summary>
    [Flags]
    private enum BlockMatch
    {
        None = 0,
        Open = 1,
        Close = 2,
    }

    private sealed partial class Renderer(NamespaceTable namespaces, RenderOptions options, string scriptPath)
    {
        // Like MediaWiki's strip markers, protected sections are replaced by DEL-delimited placeholders;
        // DEL is removed from the input first so user text can never forge one. Link holders use it too.
        private const char Marker = LinkHolders.Marker;

        private static readonly string[] Protocols = ["http://", "https://", "mailto:"];

        // Where a token may start: a strip marker, a link's "[", or the first letter of a free link's protocol.
        private static readonly SearchValues<char> LinkTokenStarts = SearchValues.Create("\u007F[hHmM");
        private static readonly SearchValues<char> AtomStarts = SearchValues.Create("\u007F");

        private readonly List<Atom> _atoms = [];
        private readonly HashSet<string> _usedIds = new(StringComparer.OrdinalIgnoreCase);
        private readonly StringBuilder _output = new();
        private int _autoNumber;
        private string _lastParagraph = string.Empty;
        private bool _inBlockElement;
        private string _pendingClosers = string.Empty;
        private bool _pendingClosersInline = true;
        private string? _paragraphStack;
        private readonly List<string> _openItems = [];
        private readonly Dictionary<string, int> _nextIdSuffix = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, (string Source, int From, int Start, int End)> _closeTagSearch = new(StringComparer.Ordinal);
        private string? _labelScanSource;
        private int _labelScanFrom;
        private int _labelScanStop;
        private string _lastPrefix = string.Empty;
        private readonly Dictionary<(int Namespace, string DbKey), int> _targetIndex = [];

        public List<(int Namespace, string DbKey)> Targets { get; } = [];

        public List<LinkHolders.Holder> Holders { get; } = [];

        /// <summary>Category links: the category's key and the sort key prefix (the link's label), in text order.</summary>
        public List<(string Category, string SortKeyPrefix)> Categories { get; } = [];

        /// <summary>Keys of the files linked or embedded (File: and Media: links), in text order.</summary>
        public List<string> Images { get; } = [];

        /// <summary>External links' URLs, in text order.</summary>
        public List<string> ExternalLinks { get; } = [];

        /// <summary>The page properties of the behaviour switches the text has (<see cref="BehaviorSwitches"/>).</summary>
        public List<string> Switches { get; } = [];

        public string Run(string wikitext)
        {
            string text = wikitext
                .Replace("\r\n", "\n", StringComparison.Ordinal)
                .Replace('\r', '\n')
                .Replace("\u007F", string.Empty, StringComparison.Ordinal);

            // A redirect page shows its target in MediaWiki's redirect box; the rest of its text renders below.
            Title? redirect = Redirects.Target(text, namespaces);
            if (redirect is not null)
            {
                text = text[(text.IndexOf("]]", StringComparison.Ordinal) + 2)..];
            }

            text = ExtractProtectedSections(text, topLevel: true);
            text = BehaviorSwitches.Take(text, Switches);
            text = TakeTocMarker(text);
            text = TableStuff(text);

            // Room for every link the text may hold, so that a page of 200,000 links does not grow these step by step.
            int links = Math.Min(text.AsSpan().Count("[["), text.AsSpan().Count("]]"));
            _targetIndex.EnsureCapacity(links);
            Targets.EnsureCapacity(links);
            Holders.EnsureCapacity(links);

            // And for the HTML, about the size of the text: one buffer, not a chain of chunks that each
            // collection during a big rendering copies.
            _output.EnsureCapacity(2 * text.Length);
            if (redirect is not null)
            {
                _output.Append("<div class=\"redirectMsg\"><p>Redirect to:</p><ul class=\"redirectText\"><li>");
                ApplyQuotes([BuildInternalLink(redirect, HtmlEscaper.Text(redirect.PrefixedText + (redirect.Fragment is { Length: > 0 } f ? "#" + f : "")))], _output);
                _output.Append("</li></ul></div>");
                if (!IsBlank(text.Replace('\n', ' ')))
                {
                    _output.Append('\n');
                }
            }

            foreach (string line in text.Split('\n'))
            {
                ProcessLine(line);
            }

            // Inline tags left open close inside the last paragraph or list item, block tags after it.
            if (_pendingClosersInline)
            {
                _output.Append(_pendingClosers);
            }

            LeaveList(appendNewline: false);
            _output.Append(CloseParagraph());
            if (!_pendingClosersInline && _pendingClosers.Length > 0)
            {
                if (_output.Length > 0 && _output[^1] == '\n')
                {
                    _output.Length--;
                }

                _output.Append(_pendingClosers);
            }

            string references = PendingReferences();
            if (references.Length > 0)
            {
                _output.Append(references, _output.Length > 0 && _output[^1] == '\n' ? 1 : 0, references.Length - (_output.Length > 0 && _output[^1] == '\n' ? 1 : 0)).Append('\n');
            }

            PlaceToc();
            int end = _output.Length;
            while (end > 0 && _output[end - 1] == '\n')
            {
                end--;
            }

            return _output.ToString(0, end);
        }
    }
}

internal static class HtmlEscaper
{
    // MediaWiki escapes only what HTML requires (htmlspecialchars), leaving other characters as raw UTF-8.
    public static string Text(string value) => Escape(value, quotes: false);

    public static string Attribute(string value) => Escape(value, quotes: true);

    private static string Escape(string value, bool quotes)
    {
        ReadOnlySpan<char> special = quotes ? "&<>\"" : "&<>";
        if (value.AsSpan().IndexOfAny(special) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 16);
        foreach (char c in value)
        {
            switch (c)
            {
                case '&':
                    sb.Append("&amp;");
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '"' when quotes:
                    sb.Append("&quot;");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }
}

internal static class WikiUrl
{
    // wfUrlencode: PHP urlencode, then these characters are restored because they are safe in MediaWiki paths.
    private const string Unescaped = "-_.;@$!*(),/~:";

    private static readonly System.Buffers.SearchValues<char> Plain =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + Unescaped);

    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.AsSpan().ContainsAnyExcept(Plain))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || (b < 0x80 && Unescaped.Contains(c, StringComparison.Ordinal)))
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
