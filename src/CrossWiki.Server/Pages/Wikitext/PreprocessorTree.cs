using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>A node of the preprocessor's tree (MediaWiki's <c>PPNode</c>): text, a comment, an ignored part, an extension tag, a template or a parameter.</summary>
internal abstract class PNode;

/// <summary>Literal text; adjacent literals are merged while the tree is built.</summary>
internal sealed class PText(string value) : PNode
{
    public StringBuilder Builder { get; } = new(value);
}

/// <summary>The <c>=</c> that splits a template part into name and value.</summary>
internal sealed class PEquals : PNode
{
    public static PEquals Instance { get; } = new();
}

/// <summary>An HTML comment with the whitespace and line it swallows; dropped when expanded for HTML.</summary>
internal sealed class PComment(string text) : PNode
{
    public string Text { get; } = text;
}

/// <summary>What inclusion drops: <c>&lt;noinclude&gt;</c> tags or elements, <c>&lt;includeonly&gt;</c> ones, text outside <c>&lt;onlyinclude&gt;</c>.</summary>
internal sealed class PIgnore(string text) : PNode
{
    public string Text { get; } = text;
}

/// <summary>An extension tag (<c>&lt;nowiki&gt;</c>, <c>&lt;pre&gt;</c>, <c>&lt;ref&gt;</c>...): its inner text is not preprocessed by the tree.</summary>
internal sealed class PExt(string name, string attributes, string? inner, string? close) : PNode
{
    public string Name { get; } = name;

    public string Attributes { get; } = attributes;

    public string? Inner { get; } = inner;

    public string? Close { get; } = close;

    /// <summary>The tag as written.</summary>
    public string Source => "<" + Name + Attributes + (Inner is null ? "/>" : ">" + Inner + (Close ?? ""));
}

/// <summary>One <c>|</c>-separated part of a template or parameter: a name (when it has <c>=</c>) and a value; positional parts have an index.</summary>
internal sealed class PPart(List<PNode> nodes, int equalsAt, int index)
{
    /// <summary>All nodes of the part, the <c>=</c> included.</summary>
    public List<PNode> Nodes { get; } = nodes;

    /// <summary>The index of the <see cref="PEquals"/> node in <see cref="Nodes"/>, or -1.</summary>
    public int EqualsAt { get; } = equalsAt;

    /// <summary>1, 2, ... for a part without <c>=</c>; 0 for a named one.</summary>
    public int Index { get; } = index;

    public List<PNode> Name => EqualsAt < 0 ? [] : Nodes.GetRange(0, EqualsAt);

    public List<PNode> Value => EqualsAt < 0 ? Nodes : Nodes.GetRange(EqualsAt + 1, Nodes.Count - EqualsAt - 1);
}

/// <summary><c>{{title|parts}}</c>; <see cref="LineStart"/> when it opens a line with all its braces.</summary>
internal sealed class PTemplate(List<PNode> title, List<PPart> parts, bool lineStart) : PNode
{
    public List<PNode> Title { get; } = title;

    public List<PPart> Parts { get; } = parts;

    public bool LineStart { get; } = lineStart;
}

/// <summary><c>{{{name|default}}}</c>.</summary>
internal sealed class PArgument(List<PNode> title, List<PPart> parts) : PNode
{
    public List<PNode> Title { get; } = title;

    public List<PPart> Parts { get; } = parts;
}

/// <summary>
/// Builds the preprocessor tree of a wikitext (<see cref="Build"/>), as MediaWiki's <c>Preprocessor_Hash::buildDomTreeArrayFromText</c>
/// does: one left-to-right pass with a stack of open brace runs (<c>{{</c>, <c>{{{</c>, <c>[[</c>, heading lines), so
/// it takes linear time and no recursion whatever the nesting; unclosed runs become literal text at the end.
/// Extension tags are kept whole; comments are kept as nodes; <c>&lt;noinclude&gt;</c>, <c>&lt;includeonly&gt;</c>
/// and <c>&lt;onlyinclude&gt;</c> work as MediaWiki's do for a page or a
/// transcluded template.
/// </summary>
internal static partial class PreprocessorTree
{
    /// <summary>The tags whose content the preprocessor does not parse (MediaWiki's strip list with Cite, Poem, SyntaxHighlight, Math and TemplateData).</summary>
    public static readonly HashSet<string> ExtensionTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "nowiki", "pre", "gallery", "indicator", "ref", "references", "syntaxhighlight", "source", "poem", "math", "chem", "ce",
        "templatedata", "categorytree", "imagemap", "inputbox", "langconvert",
    };

    private static readonly SearchValues<char> SpaceTab = SearchValues.Create(" \t");

    private sealed class PartBuilder
    {
        public List<PNode> Nodes { get; } = [];

        public int EqualsAt { get; set; } = -1;

        public int CommentEnd { get; set; } = -1;

        public int VisualEnd { get; set; } = -1;
    }

    private sealed class Piece(char open, int count, bool lineStart, int startPos)
    {
        public char Open { get; } = open;

        public int Count { get; set; } = count;

        public bool LineStart { get; } = lineStart;

        public int StartPos { get; } = startPos;

        public List<PartBuilder> Parts { get; set; } = [new()];

        public PartBuilder Current => Parts[^1];

        public char Close => Open switch { '{' => '}', '[' => ']', _ => '\n' };

        public List<PNode> BreakSyntax(int? openingCount = null)
        {
            var output = new List<PNode>();
            if (Open == '\n')
            {
                output.AddRange(Parts[0].Nodes);
                return output;
            }

            AddLiteral(output, new string(Open, openingCount ?? Count));
            var first = true;
            foreach (var part in Parts)
            {
                if (!first)
                {
                    AddLiteral(output, "|");
                }

                first = false;
                foreach (var node in part.Nodes)
                {
                    AddNode(output, node);
                }
            }

            return output;
        }
    }

    public static void AddLiteral(List<PNode> nodes, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (nodes.Count > 0 && nodes[^1] is PText last)
        {
            last.Builder.Append(text);
        }
        else
        {
            nodes.Add(new PText(text));
        }
    }

    private static void AddNode(List<PNode> nodes, PNode node)
    {
        if (node is PText text)
        {
            AddLiteral(nodes, text.Builder.ToString());
        }
        else if (node is PEquals)
        {
            AddLiteral(nodes, "=");
        }
        else
        {
            nodes.Add(node);
        }
    }

    private static void AddAll(List<PNode> nodes, List<PNode> more)
    {
        foreach (var node in more)
        {
            AddNode(nodes, node);
        }
    }

    [GeneratedRegex(@"\G(/?[A-Za-z][A-Za-z0-9]*)(?=[\s>]|/>)|\G!--")]
    private static partial Regex ElementStart();

    public static List<PNode> Build(string text, bool forInclusion)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = new List<PNode>();
        var stack = new List<Piece>();
        var enableOnlyinclude = forInclusion && text.Contains("<onlyinclude>", StringComparison.Ordinal) && text.Contains("</onlyinclude>", StringComparison.Ordinal);
        var findOnlyinclude = enableOnlyinclude;
        var noMoreGt = false;
        var noMoreClosingTag = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var fakeLineStart = true;
        var i = 0;
        var length = text.Length;

        List<PNode> Accum() => stack.Count == 0 ? root : stack[^1].Current.Nodes;

        while (true)
        {
            if (findOnlyinclude)
            {
                var start = text.IndexOf("<onlyinclude>", i, StringComparison.Ordinal);
                if (start < 0)
                {
                    Accum().Add(new PIgnore(text[i..]));
                    break;
                }

                var tagEnd = start + "<onlyinclude>".Length;
                Accum().Add(new PIgnore(text[i..tagEnd]));
                i = tagEnd;
                findOnlyinclude = false;
            }

            var top = stack.Count == 0 ? null : stack[^1];
            var findPipe = top is not null && top.Open != '\n' && top.Open != '[';
            var findEquals = findPipe && top!.Parts.Count > 1 && top.Current.EqualsAt < 0;
            var inHeading = top is { Open: '\n' };
            char found;
            if (fakeLineStart)
            {
                found = 'L';
            }
            else
            {
                var next = IndexOfSpecial(text, i, top?.Close, findPipe, findEquals);
                if (next > i)
                {
                    AddLiteral(Accum(), text[i..next]);
                    i = next;
                }

                if (i >= length)
                {
                    if (inHeading)
                    {
                        found = 'E';
                    }
                    else
                    {
                        break;
                    }
                }
                else
                {
                    var c = text[i];
                    found = c switch
                    {
                        '|' => '|',
                        '=' => '=',
                        '<' => '<',
                        '\n' => inHeading ? 'E' : 'L',
                        _ when top is not null && c == top.Close => 'C',
                        '{' or '[' => 'O',
                        _ => '?',
                    };
                }
            }

            switch (found)
            {
                case '?':
                    AddLiteral(Accum(), text[i].ToString());
                    i++;
                    break;
                case '|':
                    top!.Parts.Add(new PartBuilder());
                    i++;
                    break;
                case '=':
                    top!.Current.EqualsAt = top.Current.Nodes.Count;
                    top.Current.Nodes.Add(PEquals.Instance);
                    i++;
                    break;
                case 'L':
                {
                    if (fakeLineStart)
                    {
                        fakeLineStart = false;
                    }
                    else
                    {
                        AddLiteral(Accum(), "\n");
                        i++;
                    }

                    var count = 0;
                    while (i + count < length && count < 6 && text[i + count] == '=')
                    {
                        count++;
                    }

                    if (count == 1 && findEquals)
                    {
                        // MediaWiki's DWIM: a lone "=" at a line start in a template part is the name/value separator.
                    }
                    else if (count > 0)
                    {
                        var heading = new Piece('\n', count, false, i);
                        AddLiteral(heading.Current.Nodes, new string('=', count));
                        stack.Add(heading);
                        i += count;
                    }

                    break;
                }

                case 'E':
                {
                    // The heading's line ended: its text goes to the enclosing part as it is (a heading expands to its text).
                    // The closing line break is not consumed: it may open the next heading.
                    var heading = stack[^1];
                    stack.RemoveAt(stack.Count - 1);
                    AddAll(Accum(), heading.Parts[0].Nodes);
                    break;
                }

                case 'O':
                {
                    var c = text[i];
                    var count = 1;
                    while (i + count < length && text[i + count] == c)
                    {
                        count++;
                    }

                    var lineStart = i > 0 && text[i - 1] == '\n';
                    if (count >= 2)
                    {
                        stack.Add(new Piece(c, count, lineStart, i));
                    }
                    else
                    {
                        AddLiteral(Accum(), c.ToString());
                    }

                    i += count;
                    break;
                }

                case 'C':
                {
                    var piece = top!;
                    // Only up to four closing characters matter (three at most are matched): counting the whole run each
                    // time would make a long run of closings quadratic.
                    var maxCount = piece.Count;
                    var count = 0;
                    while (i + count < length && count < maxCount && count < 4 && text[i + count] == piece.Close)
                    {
                        count++;
                    }

                    int matching;
                    if (piece.Open == '[')
                    {
                        matching = count >= 2 ? 2 : 0;
                    }
                    else
                    {
                        matching = count > 3 ? 3 : count < 2 ? 0 : count;
                    }

                    if (matching <= 0)
                    {
                        AddLiteral(Accum(), text.Substring(i, count));
                        i += count;
                        break;
                    }

                    List<PNode> element;
                    if (piece.Open == '[')
                    {
                        element = piece.BreakSyntax(matching);
                        AddLiteral(element, new string(']', matching));
                    }
                    else
                    {
                        var parts = new List<PPart>();
                        var index = 1;
                        for (var p = 1; p < piece.Parts.Count; p++)
                        {
                            var part = piece.Parts[p];
                            parts.Add(new PPart(part.Nodes, part.EqualsAt, part.EqualsAt < 0 ? index++ : 0));
                        }

                        PNode node = matching == 3
                            ? new PArgument(piece.Parts[0].Nodes, parts)
                            : new PTemplate(piece.Parts[0].Nodes, parts, maxCount == matching && piece.LineStart);
                        element = [node];
                    }

                    i += matching;
                    stack.RemoveAt(stack.Count - 1);
                    if (matching < piece.Count)
                    {
                        piece.Parts = [new PartBuilder()];
                        piece.Count -= matching;
                        if (piece.Count >= 2)
                        {
                            stack.Add(piece);
                        }
                        else
                        {
                            AddLiteral(Accum(), new string(piece.Open, piece.Count));
                        }
                    }

                    AddAll(Accum(), element);
                    break;
                }

                case '<':
                {
                    if (enableOnlyinclude && string.CompareOrdinal(text, i, "</onlyinclude>", 0, "</onlyinclude>".Length) == 0)
                    {
                        findOnlyinclude = true;
                        break;
                    }

                    var m = i + 1 < length ? ElementStart().Match(text, i + 1) : Match.Empty;
                    if (!m.Success)
                    {
                        AddLiteral(Accum(), "<");
                        i++;
                        break;
                    }

                    if (m.Value == "!--")
                    {
                        i = Comment(text, i, stack.Count == 0 ? null : stack[^1].Current, Accum(), ref fakeLineStart);
                        break;
                    }

                    var name = m.Groups[1].Value;
                    var lower = name.ToLowerInvariant();
                    var ignoredTag = forInclusion
                        ? lower is "includeonly" or "/includeonly"
                        : lower is "noinclude" or "/noinclude" or "onlyinclude" or "/onlyinclude";
                    var element = ExtensionTags.Contains(name) || (forInclusion ? lower == "noinclude" : lower == "includeonly");
                    if (!ignoredTag && !element)
                    {
                        AddLiteral(Accum(), "<");
                        i++;
                        break;
                    }

                    var attrStart = i + name.Length + 1;
                    var tagEndPos = noMoreGt ? -1 : text.IndexOf('>', attrStart);
                    if (tagEndPos < 0)
                    {
                        noMoreGt = true;
                        AddLiteral(Accum(), "<");
                        i++;
                        break;
                    }

                    if (ignoredTag)
                    {
                        Accum().Add(new PIgnore(text[i..(tagEndPos + 1)]));
                        i = tagEndPos + 1;
                        break;
                    }

                    var tagStart = i;
                    string? inner;
                    string? close;
                    int attrEnd;
                    if (text[tagEndPos - 1] == '/')
                    {
                        attrEnd = tagEndPos - 1;
                        inner = null;
                        close = null;
                        i = tagEndPos + 1;
                    }
                    else
                    {
                        attrEnd = tagEndPos;
                        var closeLength = 0;
                        var closing = noMoreClosingTag.Contains(name) ? -1 : FindClosingTag(text, name, tagEndPos + 1, out closeLength);
                        if (closing >= 0)
                        {
                            inner = text[(tagEndPos + 1)..closing];
                            close = text.Substring(closing, closeLength);
                            i = closing + closeLength;
                        }
                        else if (lower is "includeonly" or "noinclude")
                        {
                            inner = text[(tagEndPos + 1)..];
                            close = null;
                            i = length;
                        }
                        else
                        {
                            AddLiteral(Accum(), text[tagStart..(tagEndPos + 1)]);
                            i = tagEndPos + 1;
                            noMoreClosingTag.Add(name);
                            break;
                        }
                    }

                    if ((lower == "includeonly" && !forInclusion) || (lower == "noinclude" && forInclusion))
                    {
                        Accum().Add(new PIgnore(text[tagStart..i]));
                        break;
                    }

                    var attributes = attrEnd <= attrStart ? "" : text[attrStart..attrEnd];
                    Accum().Add(new PExt(name, attributes, inner, close));
                    break;
                }
            }
        }

        foreach (var piece in stack)
        {
            AddAll(root, piece.BreakSyntax());
        }

        return root;
    }

    /// <summary>A comment, as MediaWiki takes it: on a line of its own (with only spaces and other comments) it takes the line's break too.</summary>
    private static int Comment(string text, int i, PartBuilder? part, List<PNode> accum, ref bool fakeLineStart)
    {
        var endPos = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
        if (endPos < 0)
        {
            accum.Add(new PComment(text[i..]));
            return text.Length;
        }

        var wsStart = i;
        while (wsStart > 0 && SpaceTab.Contains(text[wsStart - 1]))
        {
            wsStart--;
        }

        var wsEnd = SkipSpaces(text, endPos + 3) - 1;
        var comments = new List<(int Start, int End)> { (wsStart, wsEnd) };
        while (string.CompareOrdinal(text, wsEnd + 1, "<!--", 0, 4) == 0)
        {
            var c = text.IndexOf("-->", wsEnd + 4, StringComparison.Ordinal);
            if (c < 0)
            {
                break;
            }

            c = SkipSpaces(text, c + 3) - 1;
            comments.Add((wsEnd + 1, c));
            wsEnd = c;
        }

        int startPos;
        if (wsStart > 0 && text[wsStart - 1] == '\n' && wsEnd + 1 < text.Length && text[wsEnd + 1] == '\n')
        {
            var wsLength = i - wsStart;
            if (wsLength > 0 && accum.Count > 0 && accum[^1] is PText last && last.Builder.Length >= wsLength)
            {
                last.Builder.Length -= wsLength;
            }

            for (var j = 0; j < comments.Count - 1; j++)
            {
                accum.Add(new PComment(text[comments[j].Start..(comments[j].End + 1)]));
            }

            startPos = comments[^1].Start;
            endPos = comments[^1].End + 1;
            fakeLineStart = true;
        }
        else
        {
            startPos = i;
            endPos += 2;
        }

        if (part is not null)
        {
            if (!(part.CommentEnd >= 0 && part.CommentEnd == wsStart - 1))
            {
                part.VisualEnd = wsStart;
            }

            part.CommentEnd = endPos;
        }

        accum.Add(new PComment(text[startPos..(endPos + 1)]));
        return endPos + 1;
    }

    private static int SkipSpaces(string text, int at)
    {
        while (at < text.Length && SpaceTab.Contains(text[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>Where <c>&lt;/name\s*&gt;</c> starts (any case) after <paramref name="from"/>, and its length; -1 when there is none.</summary>
    private static int FindClosingTag(string text, string name, int from, out int length)
    {
        length = 0;
        var at = from;
        while ((at = text.IndexOf("</", at, StringComparison.Ordinal)) >= 0)
        {
            if (string.Compare(text, at + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                var end = at + 2 + name.Length;
                while (end < text.Length && char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                if (end < text.Length && text[end] == '>')
                {
                    length = end + 1 - at;
                    return at;
                }
            }

            at += 2;
        }

        return -1;
    }

    private static readonly SearchValues<char>[] SearchSets = BuildSearchSets();

    private static SearchValues<char>[] BuildSearchSets()
    {
        var sets = new SearchValues<char>[32];
        for (var flags = 0; flags < 32; flags++)
        {
            var chars = new StringBuilder("[{<\n");
            if ((flags & 1) != 0)
            {
                chars.Append('|');
            }

            if ((flags & 2) != 0)
            {
                chars.Append('=');
            }

            if ((flags & 4) != 0)
            {
                chars.Append('}');
            }

            if ((flags & 8) != 0)
            {
                chars.Append(']');
            }

            sets[flags] = SearchValues.Create(chars.ToString());
        }

        return sets;
    }

    private static int IndexOfSpecial(string text, int from, char? close, bool pipe, bool equals)
    {
        var flags = (pipe ? 1 : 0) | (equals ? 2 : 0) | (close == '}' ? 4 : 0) | (close == ']' ? 8 : 0);
        var at = text.AsSpan(from).IndexOfAny(SearchSets[flags]);
        return at < 0 ? text.Length : from + at;
    }
}
