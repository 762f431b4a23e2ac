using System.Globalization;
using System.Text;

namespace CrossWiki.Bench;

/// <summary>The tables, in Markdown so that they go into the README as printed.</summary>
internal static class Report
{
    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => F(bytes / (1024.0 * 1024), "F0");

    public static string Table(IReadOnlyList<(Row Row, WrkResult Cw, WrkResult Base, long PeakBytes)> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| row | CrossWiki req/s | p50 ms | p99 ms | errors | CPU µs/req | baseline req/s | p50 ms | p99 ms | errors | CPU µs/req | ratio | server peak MB |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (row, cw, b, peak) in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {row.Name} | {F(cw.RequestsPerSecond, "F0")} | {F(cw.P50Ms, "F2")} | {F(cw.P99Ms, "F2")} | {cw.Errors} | {F(cw.CpuMicrosPerRequest, "F0")} "
                + $"| {F(b.RequestsPerSecond, "F0")} | {F(b.P50Ms, "F2")} | {F(b.P99Ms, "F2")} | {b.Errors} | {F(b.CpuMicrosPerRequest, "F0")} | {F(cw.RequestsPerSecond / b.RequestsPerSecond, "F2")} | {Mb(peak)} |");
        }

        return sb.ToString().TrimEnd();
    }

    public static string Scaling(IReadOnlyList<(int Pages, WrkResult Cw, WrkResult Base, long PeakBytes)> results, string cost)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| pages in the wiki | CrossWiki req/s | p50 ms | p99 ms | errors | CPU µs/req | baseline req/s | ratio | server peak MB |");
        sb.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (pages, cw, b, peak) in results)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {pages} | {F(cw.RequestsPerSecond, "F0")} | {F(cw.P50Ms, "F2")} | {F(cw.P99Ms, "F2")} | {cw.Errors} | {F(cw.CpuMicrosPerRequest, "F0")} "
                + $"| {F(b.RequestsPerSecond, "F0")} | {F(cw.RequestsPerSecond / b.RequestsPerSecond, "F2")} | {Mb(peak)} |");
        }

        var first = results[0];
        var last = results[^1];

        // The cost of a read is the server's CPU time per read; throughput is also shown, raw and divided
        // by the baseline's (which moves with whatever else the machine runs).
        var cpu = last.Cw.CpuMicrosPerRequest / first.Cw.CpuMicrosPerRequest;
        var raw = first.Cw.RequestsPerSecond / last.Cw.RequestsPerSecond;
        var relative = (first.Cw.RequestsPerSecond / first.Base.RequestsPerSecond) / (last.Cw.RequestsPerSecond / last.Base.RequestsPerSecond);
        sb.AppendLine();
        sb.Append(CultureInfo.InvariantCulture, $"{cost} at {last.Pages} pages / at {first.Pages} pages: {F(cpu, "F2")} (server CPU per request); "
            + $"1 / throughput: {F(raw, "F2")} (raw), {F(relative, "F2")} (relative to the baseline); p50 latency: {F(last.Cw.P50Ms / first.Cw.P50Ms, "F2")}.");
        return sb.ToString();
    }
}
