using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// How CrossWiki's action=parse answer is compared with MediaWiki's (tests/reference/README.md says why each step).
/// Normalisation, applied to both sides: the wiki's host:port becomes {HOST} (MediaWiki ran on 127.0.0.1:8089, the
/// test farm on a free port); a signature's timestamp ("21:06, 4 December 2026 (UTC)") becomes {TIMESTAMP}. Nothing
/// else: the HTML text is compared character for character.
/// </summary>
internal static partial class ReferenceComparison
{
    /// <summary>Link lists MediaWiki builds from hash tables keyed by namespace: compared as multisets.</summary>
    private static readonly HashSet<string> UnorderedProps = new(StringComparer.Ordinal)
    {
        "templates", "links", "categories", "iwlinks", "images", "externallinks", "langlinks",
    };

    /// <summary>Answers not compared: the limit report has timings, apiwarnings are not the parse's output.</summary>
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal) { "limitreportdata", "apiwarnings" };

    [GeneratedRegex(@"\d{2}:\d{2}, \d{1,2} [A-Z][a-z]+ \d{4} \(UTC\)")]
    private static partial Regex SignatureTimestamp();

    public static string Normalise(string s, string hostPort) =>
        SignatureTimestamp().Replace(s.Replace(hostPort, "{HOST}", StringComparison.Ordinal), "{TIMESTAMP}");

    /// <summary>The differences between MediaWiki's expected answer and CrossWiki's body, one compact line block each.</summary>
    public static List<string> Compare(ReferenceCase c, int status, string body, string hostPort, bool textAsOutline = false)
    {
        var differences = new List<string>();
        if (status != 200)
        {
            differences.Add($"HTTP {status}: {Snippet(body, 0, 300)}");
            return differences;
        }

        var answer = JsonNode.Parse(body)!.AsObject();
        if (answer[c.Action] is not JsonObject parse)
        {
            differences.Add($"no {c.Action} result: " + Snippet(body, 0, 300));
            return differences;
        }

        foreach (var (key, expectedNode) in c.Expected)
        {
            if (IgnoredKeys.Contains(key))
            {
                continue;
            }

            var actualNode = parse[key];
            if (key is "text" or "wikitext" && expectedNode is JsonValue)
            {
                var expected = Normalise(expectedNode.GetValue<string>(), "127.0.0.1:8089");
                var actual = actualNode is JsonValue v && v.TryGetValue<string>(out var s) ? Normalise(s, hostPort) : actualNode?.ToJsonString() ?? "(missing)";
                if (textAsOutline && key == "text")
                {
                    differences.AddRange(HtmlOutline.Compare(expected, actual));
                }
                else if (expected != actual)
                {
                    differences.Add(key + ": " + FirstDifference(expected, actual));
                }

                continue;
            }

            var e = Canonical(key, expectedNode, "127.0.0.1:8089");
            var a = actualNode is null ? "(missing)" : Canonical(key, actualNode, hostPort);
            if (e != a)
            {
                differences.Add(key + ": " + FirstDifference(e, a));
            }
        }

        return differences;
    }

    private static string Canonical(string key, JsonNode? node, string hostPort)
    {
        if (node is JsonArray array && UnorderedProps.Contains(key))
        {
            return "[" + string.Join(",", array.Select(n => n?.ToJsonString() ?? "null").Order(StringComparer.Ordinal)) + "]";
        }

        if (node is JsonObject obj)
        {
            return "{" + string.Join(",", obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + (p.Value?.ToJsonString() ?? "null"))) + "}";
        }

        return Normalise(node?.ToJsonString() ?? "null", hostPort);
    }

    /// <summary>"at 123: expected «…» but got «…»", with 40 characters of common context before the first difference.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
        {
            i++;
        }

        var from = Math.Max(0, i - 40);
        return $"first difference at {i} (lengths {expected.Length} vs {actual.Length})\n      expected: «{Snippet(expected, from, 120)}»\n      actual:   «{Snippet(actual, from, 120)}»";
    }

    public static string Snippet(string s, int from, int length)
    {
        if (from >= s.Length)
        {
            return "";
        }

        var part = s.Substring(from, Math.Min(length, s.Length - from));
        return (from > 0 ? "…" : "") + part.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + (from + length < s.Length ? "…" : "");
    }

    /// <summary>
    /// The verdict with the known-differences list: an unlisted case must match, a listed case must still differ (so
    /// the list stays honest). Listed differences are printed, not failed.
    /// </summary>
    public static void AssertVerdict(string name, List<string> differences, ITestOutputHelper output)
    {
        var listed = ReferenceData.KnownDifferences.TryGetValue(name, out var reason);
        if (listed && differences.Count == 0)
        {
            Assert.Fail($"{name} now matches MediaWiki 1.39 but known-differences.txt lists it ({reason}): remove it from the list.");
        }

        if (listed)
        {
            output.WriteLine($"{name}: known difference ({reason}):\n  " + string.Join("\n  ", differences));
            return;
        }

        if (differences.Count > 0)
        {
            Assert.Fail($"{name} differs from MediaWiki 1.39:\n  " + string.Join("\n  ", differences));
        }
    }
}

/// <summary>
/// The realistic pages' comparison: after whitespace is normalised, the same visible text, the same links (href and
/// class of every &lt;a&gt;) and the same element structure (start and end tags with their sorted classes).
/// </summary>
internal static partial class HtmlOutline
{
    [GeneratedRegex(@"<!--.*?(?:-->|$)", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>""']|""[^""]*""|'[^']*')*)>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\b(href|class)\s*=\s*(?:""([^""]*)""|'([^']*)'|([^\s>]+))", RegexOptions.IgnoreCase)]
    private static partial Regex Attribute();

    public static IEnumerable<string> Compare(string expectedHtml, string actualHtml)
    {
        var expected = Outline(expectedHtml);
        var actual = Outline(actualHtml);
        if (expected.Text != actual.Text)
        {
            yield return "visible text: " + ReferenceComparison.FirstDifference(expected.Text, actual.Text);
        }

        var links = FirstDifferentLine(expected.Links, actual.Links);
        if (links is not null)
        {
            yield return "links: " + links;
        }

        var structure = FirstDifferentLine(expected.Structure, actual.Structure);
        if (structure is not null)
        {
            yield return "structure: " + structure;
        }
    }

    public static (string Text, List<string> Links, List<string> Structure) Outline(string html)
    {
        html = Comment().Replace(html, "");
        var links = new List<string>();
        var structure = new List<string>();
        foreach (Match m in Tag().Matches(html))
        {
            var name = m.Groups[2].Value.ToLowerInvariant();
            if (m.Groups[1].Value == "/")
            {
                structure.Add("/" + name);
                continue;
            }

            string? href = null, cls = null;
            foreach (Match a in Attribute().Matches(m.Groups[3].Value))
            {
                var value = WebUtility.HtmlDecode(a.Groups[2].Success ? a.Groups[2].Value : a.Groups[3].Success ? a.Groups[3].Value : a.Groups[4].Value);
                if (a.Groups[1].Value.Equals("href", StringComparison.OrdinalIgnoreCase))
                {
                    href = value;
                }
                else
                {
                    cls = value;
                }
            }

            var classes = cls is null ? "" : string.Concat(Whitespace().Split(cls.Trim()).Where(x => x.Length > 0).Order(StringComparer.Ordinal).Select(x => "." + x));
            structure.Add(name + classes);
            if (name == "a")
            {
                links.Add($"{href ?? "(no href)"} class=\"{cls ?? ""}\"");
            }
        }

        var text = WebUtility.HtmlDecode(Tag().Replace(html, " "));
        text = Whitespace().Replace(text.Replace('\u00a0', ' '), " ").Trim();
        return (text, links, structure);
    }

    private static string? FirstDifferentLine(List<string> expected, List<string> actual)
    {
        var i = 0;
        while (i < expected.Count && i < actual.Count && expected[i] == actual[i])
        {
            i++;
        }

        if (i == expected.Count && i == actual.Count)
        {
            return null;
        }

        var sb = new StringBuilder($"first difference at item {i} (counts {expected.Count} vs {actual.Count})");
        var from = Math.Max(0, i - 2);
        sb.Append("\n      expected: ").Append(string.Join(" ", expected.Skip(from).Take(8)));
        sb.Append("\n      actual:   ").Append(string.Join(" ", actual.Skip(from).Take(8)));
        return sb.ToString();
    }
}
