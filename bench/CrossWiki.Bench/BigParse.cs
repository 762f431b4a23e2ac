using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace CrossWiki.Bench;

/// <summary>What one big action=parse cost: its time, its answer and the server's memory around it.</summary>
internal sealed record BigParseResult(int Run, int TextBytes, TimeSpan Elapsed, TimeSpan ServerCpu, long ResponseBytes, long RssBefore, long RssAfter, long HwmBefore, long HwmAfter);

/// <summary>
/// A one-shot measurement, not a wrk row: <c>action=parse</c> of a text with 200,000 distinct internal
/// links (mostly missing, some existing, in several namespaces), the worst case of red-link lookups and
/// of a big answer. Sent three times in a row, after 40 small parses of the same shape (the JIT's
/// warm-up): the first run still grows the heap, the later ones show the steady state.
/// </summary>
internal static class BigParse
{
    public const string Name = "action=parse of 200,000 distinct links";

    public const int Links = 200_000;

    private const int WarmupParses = 40;

    /// <summary>
    /// Lines of 20 links; every tenth in the talk namespace, every hundredth in the user namespace, and
    /// the bench's existing pages (<c>Bench link n</c>) among them.
    /// </summary>
    public static string Text(int links)
    {
        var sb = new StringBuilder(links * 12);
        for (var i = 0; i < links; i++)
        {
            sb.Append("[[");
            if (i < BenchText.LinkedPages)
            {
                sb.Append("Bench link ").Append(i + 1);
            }
            else
            {
                sb.Append(i % 100 == 0 ? "User:" : i % 10 == 0 ? "Talk:" : "").Append('P').Append(i);
            }

            sb.Append("]]").Append(i % 20 == 19 ? '\n' : ' ');
        }

        return sb.ToString();
    }

    public static async Task<List<BigParseResult>> MeasureAsync(FarmProcess farm, int links = Links, int runs = 3)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(farm.Origin), Timeout = TimeSpan.FromMinutes(2), DefaultRequestHeaders = { Host = FarmProcess.Host } };
        // Warmed up as every row is: methods that run once per request (the renderer's main loop, the
        // link filler, the JSON escaper) are compiled to optimised code only after 30 calls.
        var small = Text(2_000);
        for (var i = 0; i < WarmupParses; i++)
        {
            await ParseAsync(http, small);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));

        var text = Text(links);
        var results = new List<BigParseResult>();
        for (var run = 1; run <= runs; run++)
        {
            var rssBefore = farm.CurrentMemoryBytes();
            var hwmBefore = farm.PeakMemoryBytes();
            farm.Process.Refresh();
            var cpuBefore = farm.Process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var bytes = await ParseAsync(http, text);
            clock.Stop();
            farm.Process.Refresh();
            results.Add(new BigParseResult(run, Encoding.UTF8.GetByteCount(text), clock.Elapsed, farm.Process.TotalProcessorTime - cpuBefore, bytes,
                rssBefore, farm.CurrentMemoryBytes(), hwmBefore, farm.PeakMemoryBytes()));
        }

        return results;
    }

    private static Task<long> ParseAsync(HttpClient http, string text) => PostParseAsync(http, "contentmodel=wikitext", text);

    /// <summary>POSTs <c>action=parse</c> of <paramref name="text"/> with <paramref name="parameters"/>; the answer's size, or an exception when it is an error.</summary>
    public static async Task<long> PostParseAsync(HttpClient http, string parameters, string text)
    {
        // The body is encoded before the clock starts counting in earnest: the request is sent in one piece.
        var body = "action=parse&format=json&formatversion=2&" + parameters + "&text=" + Uri.EscapeDataString(text);
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await http.PostAsync(new Uri(WikiSetup.ApiPath, UriKind.Relative), content);
        var answer = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode || answer.AsSpan().IndexOf("\"error\""u8) >= 0)
        {
            throw new InvalidOperationException($"action=parse failed: HTTP {(int)response.StatusCode} {Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(500, answer.Length)))}");
        }

        return answer.Length;
    }

    public static string Table(IReadOnlyList<BigParseResult> results)
    {
        static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine("| one-shot | run | wikitext MB | answer MB | elapsed ms | server CPU ms | VmRSS before → after MB | growth MB | VmHWM before → after MB | growth MB |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {Name} | {r.Run} | {Mb(r.TextBytes)} | {Mb(r.ResponseBytes)} | {r.Elapsed.TotalMilliseconds:F0} | {r.ServerCpu.TotalMilliseconds:F0} "
                + $"| {Mb(r.RssBefore)} → {Mb(r.RssAfter)} | {Mb(r.RssAfter - r.RssBefore)} | {Mb(r.HwmBefore)} → {Mb(r.HwmAfter)} | {Mb(r.HwmAfter - r.HwmBefore)} |");
        }

        var first = results[0];
        var last = results[^1];
        sb.Append(CultureInfo.InvariantCulture, $"\nOver all {results.Count} runs: VmRSS {Mb(first.RssBefore)} → {Mb(last.RssAfter)} MB, VmHWM {Mb(first.HwmBefore)} → {Mb(last.HwmAfter)} MB "
            + $"(growth {Mb(last.HwmAfter - first.HwmBefore)} MB).");
        return sb.ToString();
    }
}
