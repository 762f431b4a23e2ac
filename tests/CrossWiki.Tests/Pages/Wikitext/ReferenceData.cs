using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>
/// One wikitext case with MediaWiki 1.39's answer to action=parse (or action=expandtemplates), as tests/reference/mediawiki-cases.py saved it
/// (the .json files next to the hand-written .txt sources).
/// </summary>
internal sealed record ReferenceCase(
    string Name,
    string Action,
    string Title,
    string Text,
    IReadOnlyList<string> Props,
    IReadOnlyList<KeyValuePair<string, string>> Params,
    JsonObject Expected,
    string Source);

/// <summary>Reads the reference data: cases, the pages they need, and the list of known differences.</summary>
internal static partial class ReferenceData
{
    private static readonly Lazy<string> Root = new(FindDataRoot);
    private static readonly Lazy<IReadOnlyDictionary<string, ReferenceCase>> AllCases = new(LoadCases);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Differences = new(LoadKnownDifferences);

    public static string DataRoot => Root.Value;

    public static IReadOnlyDictionary<string, ReferenceCase> Cases => AllCases.Value;

    /// <summary>Case name → why CrossWiki's output is allowed to differ (known-differences.txt).</summary>
    public static IReadOnlyDictionary<string, string> KnownDifferences => Differences.Value;

    public static IEnumerable<ReferenceCase> In(string folder) =>
        Cases.Values.Where(c => c.Source.StartsWith(folder + "/", StringComparison.Ordinal));

    public static TheoryData<string> Names(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var c in In(folder))
        {
            data.Add(c.Name);
        }

        return data;
    }

    /// <summary>Every page some case needs, in the order the generator created them on MediaWiki.</summary>
    public static IReadOnlyList<(string Title, string Text)> Pages()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(DataRoot, "pages.json")))!;
        return json["pages"]!.AsArray().Select(p => (p!["title"]!.GetValue<string>(), p["text"]!.GetValue<string>())).ToList();
    }

    [GeneratedRegex("\u27e6(\\d+)\u00d7(.*?)\u27e7", RegexOptions.Singleline)]
    private static partial Regex RepeatMarker();

    /// <summary>Pathological inputs are stored small: ⟦N×abc⟧ stands for abc repeated N times (as the generator expands it).</summary>
    public static string Expand(string text) =>
        RepeatMarker().Replace(text, m => new StringBuilder().Insert(0, m.Groups[2].Value, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString());

    private static Dictionary<string, ReferenceCase> LoadCases()
    {
        var cases = new Dictionary<string, ReferenceCase>(StringComparer.Ordinal);
        foreach (var folder in new[] { "Cases", "Realistic", "Pathological" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(DataRoot, folder), "*.json").Order(StringComparer.Ordinal))
            {
                var source = folder + "/" + Path.GetFileName(file);
                foreach (var node in JsonNode.Parse(File.ReadAllText(file))!["cases"]!.AsArray())
                {
                    var c = new ReferenceCase(
                        node!["name"]!.GetValue<string>(),
                        node["action"]?.GetValue<string>() ?? "parse",
                        node["title"]!.GetValue<string>(),
                        node["text"]!.GetValue<string>(),
                        node["props"]!.AsArray().Select(p => p!.GetValue<string>()).ToList(),
                        node["params"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>())).ToList(),
                        node["expected"]!.AsObject(),
                        source);
                    cases.Add(c.Name, c);
                }
            }
        }

        return cases;
    }

    private static Dictionary<string, string> LoadKnownDifferences()
    {
        var list = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(Path.Combine(DataRoot, "known-differences.txt")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == line.Length - 1)
            {
                throw new InvalidDataException($"known-differences.txt: '{line}' is not 'CaseName: reason'.");
            }

            list.Add(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }

        return list;
    }

    private static string FindDataRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrossWiki.slnx")))
            {
                return Path.Combine(dir.FullName, "tests", "CrossWiki.Tests", "Pages", "Wikitext");
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains CrossWiki.slnx.");
    }
}
