using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrossWiki.Bench;

/// <summary>One wrk run: throughput, latency percentiles and every kind of error wrk counts.</summary>
internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Non2xx, long SocketErrors)
{
    public long Errors => Non2xx + SocketErrors;

    /// <summary>CPU time the serving process spent during the run, when measured.</summary>
    public TimeSpan ServerCpu { get; init; }

    /// <summary>Server CPU per request in microseconds: unlike throughput, hardly moved by other load on the machine.</summary>
    public double CpuMicrosPerRequest => Requests == 0 ? double.NaN : ServerCpu.TotalMicroseconds / Requests;

    /// <summary>
    /// Slices of equal length as one run: mean throughput, summed counts, the median of the slices' p50 and
    /// the highest of their p99.
    /// </summary>
    public static WrkResult Combine(IReadOnlyList<WrkResult> slices)
    {
        var p50 = slices.Select(s => s.P50Ms).Order().ToList();
        return new WrkResult(
            slices.Average(s => s.RequestsPerSecond),
            p50.Count % 2 == 1 ? p50[p50.Count / 2] : (p50[(p50.Count / 2) - 1] + p50[p50.Count / 2]) / 2,
            slices.Max(s => s.P99Ms),
            slices.Sum(s => s.Requests),
            slices.Sum(s => s.Non2xx),
            slices.Sum(s => s.SocketErrors))
        {
            ServerCpu = TimeSpan.FromTicks(slices.Sum(s => s.ServerCpu.Ticks)),
        };
    }
}

/// <summary>Load settings shared by every run.</summary>
internal sealed record WrkSettings(int Threads, int Connections);

/// <summary>
/// Runs Debian's <c>wrk</c> against a loopback URL with a generated Lua script (method, headers, body,
/// and optionally a per-request path or body). The run is bounded by its duration and a timeout.
/// </summary>
internal static partial class Wrk
{
    /// <summary>What varies per request, as a Lua expression over <c>n</c> (a per-thread counter) and <c>math.random</c>.</summary>
    internal sealed record Dynamic(string? PathExpression = null, string? BodyExpression = null);

    public static string Script(BenchRequest request, Dynamic? dynamic = null)
    {
        var lua = new StringBuilder();
        lua.Append("wrk.method = ").Append(Lua(request.Method)).Append('\n');
        foreach (var (name, value) in request.Headers)
        {
            lua.Append("wrk.headers[").Append(Lua(name)).Append("] = ").Append(Lua(value)).Append('\n');
        }

        if (request.Body is not null)
        {
            lua.Append("wrk.headers[\"Content-Type\"] = ").Append(Lua(request.ContentType ?? "application/x-www-form-urlencoded")).Append('\n');
            lua.Append("wrk.body = ").Append(Lua(request.Body)).Append('\n');
        }

        if (dynamic is not null)
        {
            // Each thread has its own Lua state: seed it from the thread's address so threads differ.
            lua.Append("local n = 0\n");
            lua.Append("function init(args) math.randomseed(os.time() + tonumber(tostring({}):match(\"0x(%x+)\"), 16) % 100000) end\n");
            lua.Append("function request()\n  n = n + 1\n");
            lua.Append("  return wrk.format(nil, ").Append(dynamic.PathExpression ?? "nil").Append(", nil, ").Append(dynamic.BodyExpression ?? "nil").Append(")\nend\n");
        }

        return lua.ToString();
    }

    /// <summary>A Lua string literal.</summary>
    public static string Lua(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            if (c is '\\' or '"')
            {
                sb.Append('\\').Append(c);
            }
            else if (c < ' ' || c > '~')
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    sb.Append('\\').Append(((int)b).ToString("D3", CultureInfo.InvariantCulture));
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A run, with the CPU time <paramref name="server"/> spent meanwhile.</summary>
    public static async Task<WrkResult> RunAsync(string url, string scriptPath, int seconds, WrkSettings settings, Process server)
    {
        server.Refresh();
        var before = server.TotalProcessorTime;
        var result = await RunAsync(url, scriptPath, seconds, settings);
        server.Refresh();
        return result with { ServerCpu = server.TotalProcessorTime - before };
    }

    public static async Task<WrkResult> RunAsync(string url, string scriptPath, int seconds, WrkSettings settings)
    {
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "-t", settings.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", settings.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "5s",
            "--latency",
            "-s", scriptPath,
            url,
        })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"wrk did not finish: {url}");
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {await stderr}\n{output}");
        }

        return Parse(output);
    }

    public static WrkResult Parse(string output)
    {
        var rps = Number(RpsRegex().Match(output));
        var p50 = Latency(output, "50%");
        var p99 = Latency(output, "99%");
        var requests = (long)Number(RequestsRegex().Match(output));
        var non2xx = (long)Number(Non2xxRegex().Match(output));
        long socket = 0;
        var s = SocketRegex().Match(output);
        if (s.Success)
        {
            for (var i = 1; i <= 4; i++)
            {
                socket += long.Parse(s.Groups[i].Value, CultureInfo.InvariantCulture);
            }
        }

        return new WrkResult(rps, p50, p99, requests, non2xx, socket);
    }

    private static double Number(Match m) => m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    /// <summary>A latency percentile line (<c>50%  312.00us</c>) in milliseconds.</summary>
    private static double Latency(string output, string percentile)
    {
        var m = Regex.Match(output, @"^\s*" + Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!m.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            _ => value * 60000,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RpsRegex();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsRegex();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxRegex();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketRegex();
}
