using System.Text;
using System.Text.RegularExpressions;
using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>
/// MediaWiki's pre-save transform (Parser::preSaveTransform and pstPass2): line breaks normalised, <c>subst:</c> and
/// <c>safesubst:</c> expanded, the signatures <c>~~~</c>, <c>~~~~</c>, <c>~~~~~</c> replaced, the pipe tricks
/// (<c>[[Foo (bar)|]]</c>, <c>[[Ns:Foo|]]</c>, <c>[[Foo, bar|]]</c>, <c>[[|Foo]]</c>) filled in, and trailing whitespace
/// trimmed; nothing inside comments or extension tags (<c>&lt;nowiki&gt;</c>, <c>&lt;pre&gt;</c>, <c>&lt;ref&gt;</c>...) is
/// touched, as they are strip markers in MediaWiki's pass.
/// </summary>
internal static partial class PreSaveTransform
{
    /// <summary>Who saves: their name, whether they are anonymous (an IP signs with a contributions link).</summary>
    internal readonly record struct Signer(string Name, bool Anonymous);

    public static async Task<string> ApplyAsync(WikiDbContext db, Wiki wiki, Title title, Signer signer, DateTimeOffset now, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wiki);
        text = Normalize(text);
        if (text.Contains("subst:", StringComparison.OrdinalIgnoreCase))
        {
            text = (await TemplateExpansion.ExpandAsync(db, wiki, new ExpansionPage(title, now) { Mode = ExpansionMode.Pst }, text, ct)).Text;
        }

        return SecondPass(text, title, wiki.Namespaces, signer, now);
    }

    /// <summary>The same with pages from memory (tests, and callers without a database).</summary>
    public static string Apply(ExpansionSite site, Title title, Signer signer, DateTimeOffset now, string text, Func<Title, string?> pages)
    {
        ArgumentNullException.ThrowIfNull(site);
        text = Normalize(text);
        if (text.Contains("subst:", StringComparison.OrdinalIgnoreCase))
        {
            text = TemplateExpansion.Expand(site, new ExpansionPage(title, now) { Mode = ExpansionMode.Pst }, text, pages).Text;
        }

        return SecondPass(text, title, site.Namespaces, signer, now);
    }

    private static string Normalize(string text) =>
        (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\0", "", StringComparison.Ordinal);

    private static string SecondPass(string text, Title title, NamespaceTable namespaces, Signer signer, DateTimeOffset now)
    {
        var kept = new List<string>();
        var protectedText = Protect(text, kept);
        if (protectedText.Contains("~~~", StringComparison.Ordinal))
        {
            var date = TimeFormat.Format("H:i, j F Y", now) + " (UTC)";
            var signature = Signature(namespaces, signer);
            protectedText = protectedText.Replace("~~~~~", date, StringComparison.Ordinal)
                .Replace("~~~~", signature + " " + date, StringComparison.Ordinal)
                .Replace("~~~", signature, StringComparison.Ordinal);
        }

        if (protectedText.Contains("|]]", StringComparison.Ordinal) || protectedText.Contains("[[|", StringComparison.Ordinal))
        {
            protectedText = PipeTricks(protectedText, title);
        }

        var restored = Restore(protectedText, kept);
        return restored.TrimEnd(' ', '\t', '\n', '\r', '\0', '\v');
    }

    /// <summary>The default signature (MediaWiki's "signature" and "signature-anon" messages).</summary>
    public static string Signature(NamespaceTable namespaces, Signer signer)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var name = MagicWords.EscapeWikiText(signer.Name);
        return signer.Anonymous
            ? "[[" + namespaces[NamespaceTable.Special].Name + ":Contributions/" + name + "|" + name + "]]"
            : "[[" + namespaces[NamespaceTable.User].Name + ":" + name + "|" + name + "]] ([[" + namespaces[NamespaceTable.UserTalk].Name + ":" + name + "|talk]])";
    }

    private const char Marker = '\u007F';

    /// <summary>The text with its comments and extension tags (at any depth of templates) replaced by markers.</summary>
    private static string Protect(string text, List<string> kept)
    {
        var sb = new StringBuilder(text.Length);
        Flatten(PreprocessorTree.Build(text, forInclusion: false), sb, kept);
        return sb.ToString();
    }

    /// <summary>The text again from its tree, with an explicit stack (braces may nest a million deep).</summary>
    private static void Flatten(List<PNode> nodes, StringBuilder sb, List<string> kept)
    {
        var pending = new Stack<object>();
        for (var i = nodes.Count - 1; i >= 0; i--)
        {
            pending.Push(nodes[i]);
        }

        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case string literal:
                    sb.Append(literal);
                    break;
                case PText t:
                    sb.Append(t.Builder);
                    break;
                case PEquals:
                    sb.Append('=');
                    break;
                case PComment c:
                    Keep(c.Text, sb, kept);
                    break;
                case PExt e:
                    Keep(e.Source, sb, kept);
                    break;
                case PIgnore ignore:
                    sb.Append(ignore.Text);
                    break;
                case PTemplate tpl:
                    PushCall(pending, "{{", tpl.Title, tpl.Parts, "}}");
                    break;
                case PArgument arg:
                    PushCall(pending, "{{{", arg.Title, arg.Parts, "}}}");
                    break;
            }
        }
    }

    private static void PushCall(Stack<object> pending, string open, List<PNode> title, List<PPart> parts, string close)
    {
        pending.Push(close);
        for (var p = parts.Count - 1; p >= 0; p--)
        {
            for (var i = parts[p].Nodes.Count - 1; i >= 0; i--)
            {
                pending.Push(parts[p].Nodes[i]);
            }

            pending.Push("|");
        }

        for (var i = title.Count - 1; i >= 0; i--)
        {
            pending.Push(title[i]);
        }

        pending.Push(open);
    }

    private static void Keep(string text, StringBuilder sb, List<string> kept)
    {
        sb.Append(Marker).Append(kept.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(Marker);
        kept.Add(text);
    }

    [GeneratedRegex("\u007F(\\d+)\u007F")]
    private static partial Regex KeptMarker();

    private static string Restore(string text, List<string> kept) =>
        kept.Count == 0 ? text : KeptMarker().Replace(text, m => kept[int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)]);

    // Title::legalChars() and the namespace characters of pstPass2.
    private const string Tc = @"[ %!""$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~\u0080-\uFFFF+]";
    private const string Nc = @"[ _0-9A-Za-z\u0080-\uFFFF-]";

    [GeneratedRegex(@"\[\[(:?" + Nc + "+:|:|)(" + Tc + @"+?)( ?\(" + Tc + @"+\))\|]]")]
    private static partial Regex ContextParentheses();

    [GeneratedRegex(@"\[\[(:?" + Nc + "+:|:|)(" + Tc + "+?)( ?（" + Tc + @"+）)\|]]")]
    private static partial Regex ContextWideParentheses();

    [GeneratedRegex(@"\[\[(:?" + Nc + "+:|:|)(" + Tc + @"+?)( ?\(" + Tc + @"+\)|)((?:, |，|، )" + Tc + @"+|)\|]]")]
    private static partial Regex ContextComma();

    [GeneratedRegex(@"\[\[\|(" + Tc + @"+)]]")]
    private static partial Regex ReversePipe();

    [GeneratedRegex("^(" + Nc + "+:|)" + Tc + @"+?( \(" + Tc + @"+\))$")]
    private static partial Regex TitleWithParentheses();

    [GeneratedRegex("^(" + Nc + "+:|)" + Tc + "+?(, " + Tc + "+|)$")]
    private static partial Regex TitleWithComma();

    private static string PipeTricks(string text, Title title)
    {
        text = ContextParentheses().Replace(text, "[[$1$2$3|$2]]");
        text = ContextWideParentheses().Replace(text, "[[$1$2$3|$2]]");
        text = ContextComma().Replace(text, "[[$1$2$3$4|$2]]");
        var t = title.Text;
        if (TitleWithParentheses().Match(t) is { Success: true } m)
        {
            return ReversePipe().Replace(text, r => "[[" + m.Groups[1].Value + r.Groups[1].Value + m.Groups[2].Value + "|" + r.Groups[1].Value + "]]");
        }

        if (TitleWithComma().Match(t) is { Success: true } c && (c.Groups[1].Value + c.Groups[2].Value).Length > 0)
        {
            return ReversePipe().Replace(text, r => "[[" + c.Groups[1].Value + r.Groups[1].Value + c.Groups[2].Value + "|" + r.Groups[1].Value + "]]");
        }

        return ReversePipe().Replace(text, "[[$1]]");
    }
}
