using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CrossWiki.Bench;

/// <summary>
/// The CrossWiki benchmark: starts a farm, prepares a user, a session and a 20 kB page, then measures each
/// hot path with wrk against CrossWiki and against a baseline endpoint that replays CrossWiki's exact
/// answer; then the scaling run (page reads with 1k, 10k and 100k pages). Prints Markdown tables.
/// </summary>
internal static class Program
{
    private const string UserName = "BenchUser";
    private const string Password = "bench-password-1";

    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("crosswiki-bench-");
        var ok = false;
        try
        {
            await RunAsync(options, work.FullName);
            ok = true;
            return 0;
        }
        finally
        {
            if (ok && !options.Keep)
            {
                work.Delete(recursive: true);
            }
            else
            {
                Console.WriteLine($"Work folder kept: {work.FullName}");
            }
        }
    }

    private static async Task RunAsync(BenchOptions options, string work)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"CrossWiki bench: {options.Seconds} s per side and row in {options.Rounds} alternating slices (+{options.WarmupSeconds} s warm-up), "
            + $"wrk -t{options.Wrk.Threads} -c{options.Wrk.Connections}, loopback only");
        Console.WriteLine("Machine: " + Machine());
        await using var farm = await FarmProcess.StartAsync(options.ServerDll, work, UserName, Password);
        Console.WriteLine($"Farm: {farm.Origin} (server pid {farm.ProcessId}, SQLite in {farm.DataDirectory})");

        using var setup = new WikiSetup(farm.Origin, FarmProcess.Host, FarmProcess.WikiId + "_session");
        await setup.LogInAsync(UserName, Password);
        var csrf = await setup.CsrfTokenAsync();
        for (var i = 1; i <= BenchText.LinkedPages; i++)
        {
            await setup.EditAsync($"Bench link {i}", $"Linked page {i} of the bench. [[Category:{BenchText.LinkedCategory}]]", csrf);
        }

        for (var i = 1; i <= BenchText.HistoryRevisions; i++)
        {
            await setup.EditAsync("Bench history", $"Revision {i} of the page whose history the bench reads.", csrf);
        }

        var article = BenchText.Article(20 * 1024);
        await setup.EditAsync("Bench page", article, csrf);
        Console.WriteLine($"Logged in as {UserName}; created 'Bench page' ({Encoding.UTF8.GetByteCount(article)} bytes of wikitext) and {BenchText.LinkedPages} linked pages.");

        var image = await BenchImages.UploadServedAsync(setup, work, csrf);
        var rows = Rows.Hot(setup.SessionCookie, csrf, image).Where(r => options.RowFilter is null || r.Name.Contains(options.RowFilter, StringComparison.OrdinalIgnoreCase)).ToList();
        await using var baseline = await Baseline.StartAsync(rows.Count + 1);
        var basePorts = baseline.Ports.Take(rows.Count).ToList();
        var scalePort = baseline.Ports[rows.Count];
        using var raw = Captured.RawClient();

        // One pass over every row first, so that no row pays for the JIT of code the others share.
        // Long enough for tiered compilation to finish its work on these paths: the JIT's background
        // compiles count as the server's CPU time too.
        Console.WriteLine($"Warming up: {2 * options.WarmupSeconds} s per row");
        foreach (var row in rows)
        {
            await Wrk.RunAsync(farm.Origin + row.Request.PathAndQuery, await WriteScriptAsync(work, row), 2 * options.WarmupSeconds, options.Wrk);
        }

        // Let the JIT finish the tier-1 compiles the warm-up queued before the first row is measured.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var results = new List<(Row Row, WrkResult Cw, WrkResult Base, long PeakBytes)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var captured = await Captured.FetchAsync(raw, farm.Origin, row.Request);
            baseline.Serve(basePorts[i], captured);
            var replay = await Captured.FetchAsync(raw, $"http://127.0.0.1:{basePorts[i]}", row.Request);
            if (captured.Difference(replay, valuesVary: false) is { } diff)
            {
                throw new InvalidOperationException($"{row.Name}: the baseline does not replay CrossWiki's answer: {diff}");
            }

            Console.WriteLine($"{row.Name}: HTTP {captured.Status}, {captured.Body.Length} bytes, {captured.Headers.Count} headers (baseline replays the same)");
            var (cw, b) = await MeasurePairAsync(options, work, row, farm, $"http://127.0.0.1:{basePorts[i]}");
            results.Add((row, cw, b, farm.PeakMemoryBytes()));
            Console.WriteLine($"  CrossWiki {cw.RequestsPerSecond:F0}/s p50 {cw.P50Ms:F2} ms p99 {cw.P99Ms:F2} ms, errors {cw.Errors}, {cw.CpuMicrosPerRequest:F0} µs CPU/req; "
                + $"baseline {b.RequestsPerSecond:F0}/s, {b.CpuMicrosPerRequest:F0} µs CPU/req; ratio {cw.RequestsPerSecond / b.RequestsPerSecond:F2}");
            if (row.StaticFile is { } file)
            {
                await using var statics = await StaticFilesBaseline.StartAsync(work, row.Request.PathAndQuery, file);
                var (scw, sb) = await MeasurePairAsync(options, work, row, farm, statics.Origin);
                results.Add((row with { Name = row.Name + ", baseline Kestrel's UseStaticFiles" }, scw, sb, farm.PeakMemoryBytes()));
                Console.WriteLine($"  beside Kestrel's static files: CrossWiki {scw.RequestsPerSecond:F0}/s, {scw.CpuMicrosPerRequest:F0} µs CPU/req; "
                    + $"UseStaticFiles {sb.RequestsPerSecond:F0}/s, {sb.CpuMicrosPerRequest:F0} µs CPU/req; ratio {scw.RequestsPerSecond / sb.RequestsPerSecond:F2}");
            }
        }

        var scaling = new List<(int Pages, WrkResult Cw, WrkResult Base, long PeakBytes)>();
        var listings = Rows.ScaledListings();
        var listingScaling = listings.Select(_ => new List<(int Pages, WrkResult Cw, WrkResult Base, long PeakBytes)>()).ToList();
        if (!options.SkipScaling)
        {
            var loader = new PageLoader(farm.DataDirectory, FarmProcess.WikiId);
            foreach (var size in options.Sizes)
            {
                var load = Stopwatch.StartNew();
                var pages = await loader.FillToAsync(size);
                Console.WriteLine($"Scaling: {pages} pages in the wiki (loaded in {load.Elapsed.TotalSeconds:F1} s), random reads among {loader.ScalePages}");
                var row = Rows.RandomRead(loader.ScalePages);
                var sample = await Captured.FetchAsync(raw, farm.Origin, row.Request);
                baseline.Serve(scalePort, sample);
                // The first size also warms up the read path, which no earlier row ran (JIT tiering).
                var warmup = scaling.Count == 0 ? 3 * options.WarmupSeconds : options.WarmupSeconds;
                var (cw, b) = await MeasurePairAsync(options, work, row, farm, $"http://127.0.0.1:{scalePort}", options.ScaleSeconds, options.ScaleRounds, warmup);
                scaling.Add((pages, cw, b, farm.PeakMemoryBytes()));
                Console.WriteLine($"  CrossWiki {cw.RequestsPerSecond:F0}/s p50 {cw.P50Ms:F2} ms, errors {cw.Errors}, {cw.CpuMicrosPerRequest:F0} µs CPU/req; baseline {b.RequestsPerSecond:F0}/s");

                for (var l = 0; l < listings.Count; l++)
                {
                    var listing = listings[l].Row;
                    baseline.Serve(scalePort, await Captured.FetchAsync(raw, farm.Origin, listing.Request));
                    var (lcw, lb) = await MeasurePairAsync(options, work, listing, farm, $"http://127.0.0.1:{scalePort}", options.ScaleSeconds, options.ScaleRounds, options.WarmupSeconds);
                    listingScaling[l].Add((pages, lcw, lb, farm.PeakMemoryBytes()));
                    Console.WriteLine($"  {listing.Name}: CrossWiki {lcw.RequestsPerSecond:F0}/s p50 {lcw.P50Ms:F2} ms, errors {lcw.Errors}, {lcw.CpuMicrosPerRequest:F0} µs CPU/req; baseline {lb.RequestsPerSecond:F0}/s");
                }
            }
        }

        // The file one-shots (a 100 MiB upload, a 24-megapixel thumbnail) after the rows, before the big parse.
        List<OneShotResult>? files = null;
        if (options.RowFilter is null || BenchImages.Name.Contains(options.RowFilter, StringComparison.OrdinalIgnoreCase))
        {
            files = await BenchImages.MeasureAsync(farm, setup, work, csrf);
        }

        List<TemplateParseResult>? templateParse = null;
        if (options.RowFilter is null || TemplateParse.Name.Contains(options.RowFilter, StringComparison.OrdinalIgnoreCase))
        {
            await TemplateParse.CreateTemplatesAsync(setup, csrf);
            templateParse = await TemplateParse.MeasureAsync(farm);
            foreach (var r in templateParse)
            {
                Console.WriteLine($"{TemplateParse.Name}, {r.TextBytes} bytes: {r.Elapsed.TotalMilliseconds:F1} ms, {r.ServerCpu.TotalMilliseconds:F1} ms server CPU per parse");
            }
        }

        // The one-shot big parse runs last, so that the heap it leaves behind weighs on no row.
        List<BigParseResult>? bigParse = null;
        if (options.RowFilter is null || BigParse.Name.Contains(options.RowFilter, StringComparison.OrdinalIgnoreCase))
        {
            bigParse = await BigParse.MeasureAsync(farm);
            foreach (var r in bigParse)
            {
                Console.WriteLine($"{BigParse.Name}, run {r.Run}: {r.Elapsed.TotalMilliseconds:F0} ms ({r.ServerCpu.TotalMilliseconds:F0} ms server CPU), {r.ResponseBytes} bytes answered, "
                    + $"server VmRSS {r.RssBefore >> 20} -> {r.RssAfter >> 20} MB, VmHWM {r.HwmBefore >> 20} -> {r.HwmAfter >> 20} MB");
            }
        }

        if (results.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine(Report.Table(results));
        }

        if (bigParse is not null)
        {
            Console.WriteLine();
            Console.WriteLine(BigParse.Table(bigParse));
        }

        if (templateParse is not null)
        {
            Console.WriteLine();
            Console.WriteLine(TemplateParse.Table(templateParse));
        }

        if (files is not null)
        {
            Console.WriteLine();
            Console.WriteLine(BenchImages.Table(files));
        }
        if (scaling.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine(Report.Scaling(scaling, "Read cost"));
            for (var l = 0; l < listings.Count; l++)
            {
                Console.WriteLine();
                Console.WriteLine($"{listings[l].Row.Name}, as the wiki grows:");
                Console.WriteLine(Report.Scaling(listingScaling[l], listings[l].Cost));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Server peak memory (VmHWM): {farm.PeakMemoryBytes() / (1024.0 * 1024):F0} MB. Machine: {Machine()}. Bench took {clock.Elapsed.TotalSeconds:F0} s.");
    }

    /// <summary>
    /// Warm-up, then CrossWiki and the baseline measured in alternating slices (CrossWiki first in even
    /// rounds, the baseline first in odd ones), so that a change in the machine's background load
    /// between slices touches both sides alike.
    /// </summary>
    private static async Task<(WrkResult CrossWiki, WrkResult Baseline)> MeasurePairAsync(
        BenchOptions options, string work, Row row, FarmProcess farm, string baselineOrigin, int? seconds = null, int? rounds = null, int? warmup = null)
    {
        var origin = farm.Origin;
        using var self = Process.GetCurrentProcess();
        var script = await WriteScriptAsync(work, row);
        var slices = rounds ?? options.Rounds;
        var slice = Math.Max(1, (seconds ?? options.Seconds) / slices);
        var cwUrl = origin + row.Request.PathAndQuery;
        var baseUrl = baselineOrigin + row.Request.PathAndQuery;
        await Wrk.RunAsync(cwUrl, script, warmup ?? options.WarmupSeconds, options.Wrk);
        await Wrk.RunAsync(baseUrl, script, 1, options.Wrk);
        var cw = new List<WrkResult>();
        var b = new List<WrkResult>();
        for (var round = 0; round < slices; round++)
        {
            if (round % 2 == 0)
            {
                cw.Add(await Wrk.RunAsync(cwUrl, script, slice, options.Wrk, farm.Process));
                b.Add(await Wrk.RunAsync(baseUrl, script, slice, options.Wrk, self));
            }
            else
            {
                b.Add(await Wrk.RunAsync(baseUrl, script, slice, options.Wrk, self));
                cw.Add(await Wrk.RunAsync(cwUrl, script, slice, options.Wrk, farm.Process));
            }
        }

        return (WrkResult.Combine(cw), WrkResult.Combine(b));
    }

    private static async Task<string> WriteScriptAsync(string work, Row row)
    {
        var script = Path.Combine(work, "row.lua");
        await File.WriteAllTextAsync(script, Wrk.Script(row.Request, row.Dynamic));
        return script;
    }

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores (nproc), {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");
    }
}

internal sealed record BenchOptions(string ServerDll, int Seconds, int WarmupSeconds, int ScaleSeconds, WrkSettings Wrk, int[] Sizes, bool SkipScaling, string? RowFilter, bool Keep)
{
    /// <summary>Slices each row's measurement is cut into (alternating CrossWiki and baseline).</summary>
    public int Rounds { get; init; } = 4;

    public int ScaleRounds { get; init; } = 3;

    public const string Usage =
        "Usage: CrossWiki.Bench --server PATH/CrossWiki.Server.dll [--seconds 12] [--rounds 4] [--warmup 2] [--scale-seconds 9] [--scale-rounds 3]\n"
        + "                       [--threads 2] [--connections 8]\n"
        + "                       [--sizes 1000,10000,100000] [--no-scaling] [--rows TEXT] [--keep]";

    public static BenchOptions? Parse(string[] args)
    {
        string? server = null;
        int seconds = 12, rounds = 4, warmup = 2, scaleSeconds = 9, scaleRounds = 3, threads = 2, connections = 8;
        int[] sizes = [1000, 10000, 100000];
        var skipScaling = false;
        var keep = false;
        string? rows = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--server": server = Next(); break;
                case "--seconds": seconds = Int(); break;
                case "--warmup": warmup = Int(); break;
                case "--scale-seconds": scaleSeconds = Int(); break;
                case "--rounds": rounds = Int(); break;
                case "--scale-rounds": scaleRounds = Int(); break;
                case "--threads": threads = Int(); break;
                case "--connections": connections = Int(); break;
                case "--sizes": sizes = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--no-scaling": skipScaling = true; break;
                case "--rows": rows = Next(); break;
                case "--keep": keep = true; break;
                default: return null;
            }
        }

        if (server is null || rounds is < 1 or > 10 || scaleRounds is < 1 or > 10 || seconds is < 1 or > 120 || scaleSeconds is < 1 or > 120 || warmup is < 1 or > 60 || connections is < 1 or > 256 || threads is < 1 or > 16)
        {
            return null;
        }

        return new BenchOptions(Path.GetFullPath(server), seconds, warmup, scaleSeconds, new WrkSettings(threads, Math.Max(threads, connections)), sizes, skipScaling, rows, keep)
        {
            Rounds = rounds,
            ScaleRounds = scaleRounds,
        };
    }
}
