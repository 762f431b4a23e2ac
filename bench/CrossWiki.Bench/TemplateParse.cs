using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CrossWiki.Bench;

/// <summary>What one uncached action=parse of template-heavy text cost, at one size.</summary>
internal sealed record TemplateParseResult(int TextBytes, TimeSpan Elapsed, TimeSpan ServerCpu, long ResponseBytes);

/// <summary>
/// A one-shot measurement, not a wrk row: <c>action=parse</c> (never cached) of template-heavy wikitext at
/// 1 kB, 10 kB, 100 kB and 1 MB. The text repeats one block as articles use templates: an infobox of named
/// parameters with <c>#if</c>s, a paragraph with small inline templates and a nested <c>#switch</c>, a
/// table, a reference. Each size is parsed after a warm-up, as many times as its
/// CPU time needs to be measured well, and the mean is reported; the cost per kB should stay flat as the text grows (parsing linear in the page's size).
/// </summary>
internal static class TemplateParse
{
    public const string Name = "template-heavy action=parse, 1 kB to 1 MB";

    public static readonly int[] Sizes = [1_000, 10_000, 100_000, 1_000_000];

    private const int WarmupParses = 30;

    /// <summary>The templates the text uses, created at setup.</summary>
    public static IReadOnlyList<(string Title, string Text)> Templates { get; } =
    [
        ("Template:Bench infobox",
            "{| class=\"infobox\" style=\"width:22em\"\n|+ {{{name|{{PAGENAME}}}}}\n"
            + "{{#if:{{{born|}}}|\n! Born\n{{!}} {{{born}}}\n|-}}\n{{#if:{{{field|}}}|\n! Field\n{{!}} {{{field}}}\n|-}}\n"
            + "{{#if:{{{known|}}}|\n! Known for\n{{!}} {{{known}}}\n}}\n|}<noinclude>An infobox of the bench.</noinclude>"),
        ("Template:Bench flag", "<span class=\"flag\">{{{1}}}</span>{{#if:{{{2|}}}|&nbsp;({{{2}}})}}"),
        ("Template:Bench era", "{{#switch:{{{1}}}|1|2|3=early|4|5|6=middle|#default=late}} era"),
        ("Template:Bench cite", "<ref>{{{author}}}, ''{{{title}}}'', {{{year|n.d.}}}.</ref>"),
    ];

    /// <summary>About <paramref name="bytes"/> bytes of wikitext made of the repeated block.</summary>
    public static string Text(int bytes)
    {
        var sb = new StringBuilder(bytes + 1200);
        for (var i = 0; sb.Length < bytes; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"== Person {i} ==\n");
            sb.Append(CultureInfo.InvariantCulture, $"{{{{Bench infobox|name=Person {i}|born={1800 + (i % 200)}|field=Mathematics|known=Theorem {i}}}}}\n");
            sb.Append(CultureInfo.InvariantCulture, $"'''Person {i}''' {{{{Bench flag|Country {i % 7}|{i % 3}}}}} worked in the {{{{Bench era|{i % 8}}}}}; ");
            sb.Append(CultureInfo.InvariantCulture, $"{{{{#ifeq:{{{{lc:ODD}}}}|odd|{{{{#expr:{i} * 2 + 1}}}}|no}}}} papers, see [[Theorem {i}]].");
            sb.Append(CultureInfo.InvariantCulture, $"{{{{Bench cite|author=Author {i}|title=Works {i}|year={1900 + (i % 100)}}}}}\n");
            sb.Append("{| class=\"wikitable\"\n! Year !! Work\n|-\n");
            sb.Append(CultureInfo.InvariantCulture, $"| {1850 + (i % 100)} || ''Opus {i}''\n|}}\n\n");
        }

        sb.Append("== References ==\n<references />\n");
        return sb.ToString();
    }

    public static async Task CreateTemplatesAsync(WikiSetup setup, string csrf)
    {
        ArgumentNullException.ThrowIfNull(setup);
        foreach (var (title, text) in Templates)
        {
            await setup.EditAsync(title, text, csrf);
        }
    }

    public static async Task<List<TemplateParseResult>> MeasureAsync(FarmProcess farm)
    {
        ArgumentNullException.ThrowIfNull(farm);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(farm.Origin), Timeout = TimeSpan.FromMinutes(5), DefaultRequestHeaders = { Host = FarmProcess.Host } };
        var small = Text(Sizes[0]);
        for (var i = 0; i < WarmupParses; i++)
        {
            await ParseAsync(http, small);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var results = new List<TemplateParseResult>();
        foreach (var size in Sizes)
        {
            // Enough parses of each size that the process's CPU clock (10 ms ticks) measures them well.
            var text = Text(size);
            var parses = Math.Max(3, 2_000_000 / size);
            farm.Process.Refresh();
            var cpuBefore = farm.Process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            long answered = 0;
            for (var i = 0; i < parses; i++)
            {
                answered = await ParseAsync(http, text);
            }

            clock.Stop();
            farm.Process.Refresh();
            results.Add(new TemplateParseResult(Encoding.UTF8.GetByteCount(text), clock.Elapsed / parses, (farm.Process.TotalProcessorTime - cpuBefore) / parses, answered));
        }

        return results;
    }

    private static Task<long> ParseAsync(HttpClient http, string text) =>
        BigParse.PostParseAsync(http, "title=Bench_people&prop=text%7Ctemplates%7Cparsewarnings", text);

    public static string Table(IReadOnlyList<TemplateParseResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder();
        sb.AppendLine("| one-shot | wikitext kB | answer kB | elapsed ms per parse | server CPU ms per parse | server CPU µs per kB |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {Name} | {r.TextBytes / 1000.0:F0} | {r.ResponseBytes / 1000.0:F0} | {r.Elapsed.TotalMilliseconds:F1} | {r.ServerCpu.TotalMilliseconds:F1} "
                + $"| {PerKb(r):F0} |");
        }

        // The smallest text is mostly the request's fixed cost; linearity is read from 10 kB up.
        var from = results.Count > 1 ? results[1] : results[0];
        var to = results[^1];
        sb.Append(CultureInfo.InvariantCulture, $"\nCPU per kB at {to.TextBytes / 1000} kB / at {from.TextBytes / 1000} kB: {PerKb(to) / PerKb(from):F2} (1.00 is linear).");
        return sb.ToString();
    }

    private static double PerKb(TemplateParseResult r) => r.ServerCpu.TotalMicroseconds / (r.TextBytes / 1000.0);
}
