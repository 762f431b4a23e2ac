using System.Text;

namespace CrossWiki.Server.Pages;

/// <summary>Where text is written piece by piece: a counter, a buffer, or an escaping writer (the JSON printer's).</summary>
internal interface ITextSink
{
    void Write(ReadOnlySpan<char> text);
}

/// <summary>
/// A rendering whose internal links still wait for the existence of their targets (MediaWiki's
/// <c>LinkHolderArray</c>): the renderer writes a holder <c>&lt;DEL n DEL&gt;</c> where each link's opening
/// tag goes, and collects the distinct targets, so that all of them are looked up at once, in batches,
/// after rendering (<see cref="Storage.LinkBatch"/>) instead of one query per link while rendering. DEL is removed
/// from the wikitext first and never written by the renderer otherwise, so user text cannot forge a
/// holder; and a holder has the shape of a tag, so heading anchors (which drop tags) ignore it as they
/// ignore the real <c>&lt;a&gt;</c>.
/// </summary>
internal sealed class LinkHolders
{
    internal const char Marker = '\u007F';


    private readonly string _html;
    private readonly List<(int Namespace, string DbKey)> _targets;
    private readonly NamespaceTable _namespaces;
    private readonly List<Holder> _holders;
    private readonly string _articlePath;
    private readonly string _scriptPath;
    private readonly string _prefix;
    private readonly string _suffix;

    internal LinkHolders(string html, List<(int Namespace, string DbKey)> targets, List<Holder> holders, NamespaceTable namespaces, string articlePath, string scriptPath, string wrapClass = "mw-parser-output")
    {
        // An empty class means no wrapper at all (ParserOutput::getText's wrapperDivClass).
        _prefix = wrapClass.Length == 0 ? "" : "<div class=\"" + HtmlEscaper.Attribute(wrapClass) + "\">";
        _suffix = wrapClass.Length == 0 ? "" : "</div>";
        _html = html;
        _targets = targets;
        _namespaces = namespaces;
        _holders = holders;
        _articlePath = articlePath;
        _scriptPath = scriptPath;
    }

    /// <summary>
    /// The distinct pages linked to (without fragment), in first-seen order: keys rather than titles, so a
    /// page of 200,000 links does not keep 200,000 more objects alive while its targets are looked up.
    /// </summary>
    public IReadOnlyList<(int Namespace, string DbKey)> Targets => _targets;

    /// <summary>
    /// Category links: the category's key and the sort key prefix (the link's label, else the DEFAULTSORT key), in text
    /// order, then the expansion's tracking categories (<see cref="WikiRendering.RenderAsync"/> adds those).
    /// </summary>
    public IReadOnlyList<(string Category, string SortKeyPrefix)> Categories { get; set; } = [];

    /// <summary>What the template expansion before rendering found (templates used, warnings, limits); null for text rendered without it.</summary>
    public Wikitext.ExpansionResult? Expansion { get; set; }

    /// <summary>Keys of the files linked or embedded (File: and Media: links), in text order.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>External links' URLs, in text order.</summary>
    public IReadOnlyList<string> ExternalLinks { get; init; } = [];

    /// <summary>The headings, numbered as the table of contents numbers them (action=parse's prop=sections).</summary>
    public IReadOnlyList<SectionInfo> Sections { get; init; } = [];

    /// <summary>The page properties the text's behaviour switches set (<c>notoc</c>, <c>hiddencat</c>, ...), in text order.</summary>
    public IReadOnlyList<string> Switches { get; init; } = [];

    /// <summary>
    /// One link: the index of its target and its fragment; for an embedded file, the embed (the holder stands for its
    /// opening HTML); for a <c>[[Media:X]]</c> link (<paramref name="Media"/>, its target the File page), a link to the file itself.
    /// </summary>
    internal readonly record struct Holder(int Target, string? Fragment, ImageEmbed? Image = null, bool Media = false);

    /// <summary>The files the embeds and media links show, by name, set before filling; a name not in it shows a red link to its upload form.</summary>
    public IReadOnlyDictionary<string, EmbeddedFile> Files { get; set; } = new Dictionary<string, EmbeddedFile>(StringComparer.Ordinal);

    /// <summary>The names of the files embedded or linked to directly (<c>[[File:X|...]]</c>, <c>[[Media:X]]</c>; not <c>[[:File:X]]</c>), distinct.</summary>
    public IEnumerable<string> EmbeddedNames => _holders.Where(h => h.Image is not null || h.Media).Select(h => h.Image?.Name ?? _targets[h.Target].DbKey).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// Writes the HTML with every link filled in to <paramref name="sink"/>, in pieces, without building it
    /// first; <paramref name="exists"/> is indexed like <see cref="Targets"/>.
    /// </summary>
    public void WriteTo<TSink>(ref TSink sink, IReadOnlyList<bool> exists)
        where TSink : ITextSink, allows ref struct
    {
        Check(exists);
        Emit(ref sink, exists);
    }

    /// <summary>The HTML with every link filled in, as UTF-8.</summary>
    public byte[] FillUtf8(IReadOnlyList<bool> exists)
    {
        Check(exists);

        // Two passes, counting then writing, so the HTML (tens of MB for a page of 200,000 links) is
        // allocated once at its exact size instead of through a growing buffer and a copy.
        var counter = new ByteCounter();
        Emit(ref counter, exists);
        var writer = new ByteWriter(new byte[counter.Count]);
        Emit(ref writer, exists);
        return writer.Buffer;
    }

    /// <summary>The HTML with every link filled in, as a string.</summary>
    public string Fill(IReadOnlyList<bool> exists)
    {
        Check(exists);
        var counter = new CharCounter();
        Emit(ref counter, exists);
        return string.Create(counter.Count, (Holders: this, Exists: exists), static (chars, state) =>
        {
            var writer = new CharWriter(chars);
            state.Holders.Emit(ref writer, state.Exists);
        });
    }

    /// <summary>The targets that do not exist, and can be created (a red link that may turn blue).</summary>
    public (int Namespace, string DbKey)[] Missing(IReadOnlyList<bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        var missing = new List<(int Namespace, string DbKey)>();
        for (var i = 0; i < _targets.Count; i++)
        {
            if (!exists[i] && _targets[i].Namespace >= 0)
            {
                missing.Add(_targets[i]);
            }
        }

        return [.. missing];
    }

    private void Check(IReadOnlyList<bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        if (exists.Count != _targets.Count)
        {
            throw new ArgumentException("One answer per target is needed.", nameof(exists));
        }
    }

    private struct ByteCounter : ITextSink
    {
        public int Count;

        public void Write(ReadOnlySpan<char> text) => Count = checked(Count + Encoding.UTF8.GetByteCount(text));
    }

    private struct ByteWriter(byte[] buffer) : ITextSink
    {
        private int _written;

        public readonly byte[] Buffer => buffer;

        public void Write(ReadOnlySpan<char> text) => _written += Encoding.UTF8.GetBytes(text, buffer.AsSpan(_written));
    }

    private struct CharCounter : ITextSink
    {
        public int Count;

        public void Write(ReadOnlySpan<char> text) => Count = checked(Count + text.Length);
    }

    private ref struct CharWriter(Span<char> chars) : ITextSink
    {
        private readonly Span<char> _chars = chars;
        private int _written;

        public void Write(ReadOnlySpan<char> text)
        {
            text.CopyTo(_chars[_written..]);
            _written += text.Length;
        }
    }

    private void Emit<TSink>(ref TSink sink, IReadOnlyList<bool> exists)
        where TSink : ITextSink, allows ref struct
    {
        sink.Write(_prefix);
        var html = _html.AsSpan();
        var at = 0;
        while (true)
        {
            var open = html[at..].IndexOf(Marker);
            if (open < 0)
            {
                sink.Write(html[at..]);
                break;
            }

            // The renderer writes "<" DEL index DEL ">" and DEL nowhere else.
            var start = at + open - 1;
            var close = html[(at + open + 1)..].IndexOf(Marker) + at + open + 1;
            sink.Write(html[at..start]);
            var holder = _holders[int.Parse(html[(at + open + 1)..close], System.Globalization.CultureInfo.InvariantCulture)];
            if (holder.Image is { } image)
            {
                WriteImage(ref sink, image, _targets[holder.Target]);
            }
            else if (holder.Media)
            {
                WriteMediaLink(ref sink, _targets[holder.Target].DbKey);
            }
            else
            {
                WriteOpeningTag(ref sink, _targets[holder.Target], holder.Fragment, exists[holder.Target]);
            }

            at = close + 2;
        }

        sink.Write(_suffix);
    }

    // The opening tag of Linker::makeLink's output: a blue link to the article (with its fragment), or a red
    // one to the edit form (Special pages cannot be created, so a missing one keeps its article URL). Written
    // in pieces, escaped on the way, so that filling 200,000 links allocates next to nothing.
    private void WriteOpeningTag<TSink>(ref TSink sink, (int Namespace, string DbKey) page, string? fragment, bool exists)
        where TSink : ITextSink, allows ref struct
    {
        var namespaceName = _namespaces[page.Namespace].Name;
        sink.Write("<a href=\"");
        if (exists || page.Namespace == NamespaceTable.Special)
        {
            WriteArticleUrl(ref sink, namespaceName, page.DbKey);
            if (exists && !string.IsNullOrEmpty(fragment))
            {
                sink.Write("#");
                WriteEscaped(ref sink, LinkHolders.EncodeFragment(fragment), underscoresAsSpaces: false);
            }

            sink.Write(exists ? "\" title=\"" : "\" class=\"new\" title=\"");
        }
        else
        {
            WriteEscaped(ref sink, _scriptPath, underscoresAsSpaces: false);
            sink.Write("/index.php?title=");
            WriteUrlKey(ref sink, namespaceName, page.DbKey);
            sink.Write("&amp;action=edit&amp;redlink=1\" class=\"new\" title=\"");
        }

        if (namespaceName.Length > 0)
        {
            WriteEscaped(ref sink, namespaceName, underscoresAsSpaces: false);
            sink.Write(":");
        }

        WriteEscaped(ref sink, page.DbKey, underscoresAsSpaces: true);
        sink.Write(exists ? "\">" : " (page does not exist)\">");
    }

    // An embedded file: MediaWiki's image HTML up to the caption, linking to the File page (or to the upload form).
    private void WriteImage<TSink>(ref TSink sink, ImageEmbed image, (int Namespace, string DbKey) page)
        where TSink : ITextSink, allows ref struct
    {
        var namespaceName = _namespaces[page.Namespace].Name;
        var url = _articlePath.Replace("$1", WikiUrl.Encode(namespaceName.Replace(' ', '_') + ":" + page.DbKey), StringComparison.Ordinal);
        Files.TryGetValue(image.Name, out var file);
        sink.Write(ImageHtml.Opening(image, file, url, UploadUrl(page.DbKey), namespaceName + ":" + page.DbKey.Replace('_', ' '), image.CaptionText));
    }

    // The opening tag of a [[Media:X]] link (Linker::makeMediaLinkFile): to the file, or, when there is none, to its upload form.
    private void WriteMediaLink<TSink>(ref TSink sink, string name)
        where TSink : ITextSink, allows ref struct
    {
        var found = Files.TryGetValue(name, out var file);
        sink.Write("<a href=\"");
        WriteEscaped(ref sink, found ? file!.Url : UploadUrl(name), underscoresAsSpaces: false);
        sink.Write(found ? "\" class=\"internal\" title=\"" : "\" class=\"new\" title=\"");
        WriteEscaped(ref sink, name, underscoresAsSpaces: true);
        sink.Write("\">");
    }

    // Special:Upload for a file of this name (Linker::getUploadUrl), where a missing file's links lead while uploads are on.
    private string UploadUrl(string name) =>
        _scriptPath + "/index.php?title=" + WikiUrl.Encode(_namespaces[NamespaceTable.Special].Name) + ":Upload&wpDestFile=" + WikiUrl.Encode(name);

    private void WriteArticleUrl<TSink>(ref TSink sink, string namespaceName, string dbKey)
        where TSink : ITextSink, allows ref struct
    {
        var dollar = _articlePath.IndexOf("$1", StringComparison.Ordinal);
        if (dollar < 0 || _articlePath.IndexOf("$1", dollar + 2, StringComparison.Ordinal) >= 0)
        {
            // No "$1", or more than one: rare enough to build the URL whole, as MediaWiki's str_replace does.
            var prefixed = namespaceName.Length == 0 ? dbKey : namespaceName.Replace(' ', '_') + ":" + dbKey;
            var url = _articlePath.Replace("$1", WikiUrl.Encode(prefixed), StringComparison.Ordinal);
            WriteEscaped(ref sink, url, underscoresAsSpaces: false);
            return;
        }

        WriteEscaped(ref sink, _articlePath.AsSpan(0, dollar), underscoresAsSpaces: false);
        WriteUrlKey(ref sink, namespaceName, dbKey);
        WriteEscaped(ref sink, _articlePath.AsSpan(dollar + 2), underscoresAsSpaces: false);
    }

    // wfUrlencode of the prefixed DB key; it leaves ":" alone, so the namespace and the key are encoded
    // apart, and neither needs HTML escaping afterwards.
    private static void WriteUrlKey<TSink>(ref TSink sink, string namespaceName, string dbKey)
        where TSink : ITextSink, allows ref struct
    {
        if (namespaceName.Length > 0)
        {
            sink.Write(WikiUrl.Encode(namespaceName.Replace(' ', '_')));
            sink.Write(":");
        }

        sink.Write(WikiUrl.Encode(dbKey));
    }

    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create("&<>\"_");

    // htmlspecialchars with quotes (HtmlEscaper.Attribute), optionally showing a DB key's underscores as spaces.
    private static void WriteEscaped<TSink>(ref TSink sink, ReadOnlySpan<char> text, bool underscoresAsSpaces)
        where TSink : ITextSink, allows ref struct
    {
        while (!text.IsEmpty)
        {
            var stop = text.IndexOfAny(Escaped);
            if (stop < 0)
            {
                sink.Write(text);
                return;
            }

            sink.Write(text[..stop]);
            sink.Write(text[stop] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => underscoresAsSpaces ? " " : "_",
            });
            text = text[(stop + 1)..];
        }
    }

    // Sanitizer::escapeIdForLink in html5 mode: spaces become underscores and literal "%XX" is escaped
    // so the browser does not decode it into another anchor.
    internal static string EncodeFragment(string fragment)
    {
        var sb = new StringBuilder(fragment.Length);
        for (var i = 0; i < fragment.Length; i++)
        {
            var c = fragment[i];
            if (c == ' ')
            {
                sb.Append('_');
            }
            else if (c == '%' && i + 2 < fragment.Length && char.IsAsciiHexDigit(fragment[i + 1]) && char.IsAsciiHexDigit(fragment[i + 2]))
            {
                sb.Append("%25");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
