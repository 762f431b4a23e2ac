using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CrossWiki.Bench;

/// <summary>What one file one-shot cost: its time, the server's CPU and memory around it, and how much it moved.</summary>
internal sealed record OneShotResult(string Name, long Bytes, TimeSpan Elapsed, TimeSpan ServerCpu, long RssBefore, long RssAfter, long HwmBefore, long HwmAfter, string Note);

/// <summary>
/// The bench's files, made with libvips (NetVips, the server's own image library): a PNG served by a wrk row,
/// and the one-shots: a 100 MiB upload in one request (throughput and server memory growth) and the
/// thumbnail of a 24-megapixel JPEG (time and memory, beside the <c>vipsthumbnail</c> command-line tool
/// on the same file when it is installed).
/// </summary>
internal static class BenchImages
{
    public const string Name = "image one-shots (100 MiB upload, 24-megapixel thumbnail)";

    public const string ServedName = "Bench image.png";

    /// <summary>Uploads a 400x300 PNG photo-like image and returns its path on the server and the local file, for the serving row.</summary>
    public static async Task<(string Path, string LocalFile)> UploadServedAsync(WikiSetup setup, string work, string csrf)
    {
        var path = Path.Combine(work, "served.png");
        using (var image = NetVips.Image.Gaussnoise(400, 300, mean: 128, sigma: 40).Cast(NetVips.Enums.BandFormat.Uchar).Bandjoin(NetVips.Image.Black(400, 300) + 90, NetVips.Image.Black(400, 300) + 200))
        {
            image.Pngsave(path);
        }

        var upload = await setup.UploadAsync(ServedName, path, csrf);
        return (new Uri(upload["imageinfo"]!["url"]!.GetValue<string>()).AbsolutePath, path);
    }

    public static async Task<List<OneShotResult>> MeasureAsync(FarmProcess farm, WikiSetup setup, string work, string csrf)
    {
        var results = new List<OneShotResult>();

        // 100 MiB: a 5000x5000 RGBA PNG of noise, stored without compression (it is 100,000,000 bytes of pixels).
        var big = Path.Combine(work, "big.png");
        using (var noise = NetVips.Image.Gaussnoise(5000, 5000, mean: 128, sigma: 60).Cast(NetVips.Enums.BandFormat.Uchar))
        using (var rgba = noise.Bandjoin(noise, noise, noise))
        {
            rgba.Pngsave(big, compression: 0, filter: NetVips.Enums.ForeignPngFilter.None);
        }

        var bigBytes = new FileInfo(big).Length;
        results.Add(await OneShotAsync(farm, $"upload of a {bigBytes / (1024.0 * 1024):F0} MiB PNG (one request)", bigBytes, async () =>
        {
            await setup.UploadAsync("Bench big upload.png", big, csrf);
            return "";
        }));
        File.Delete(big);

        // 24 megapixels: a 6000x4000 JPEG photo-like image; the thumbnail is 800 pixels wide.
        var photo = Path.Combine(work, "photo.jpg");
        using (var noise = NetVips.Image.Gaussnoise(6000, 4000, mean: 128, sigma: 30).Cast(NetVips.Enums.BandFormat.Uchar))
        using (var rgb = noise.Bandjoin(noise.Flip(NetVips.Enums.Direction.Horizontal), noise.Flip(NetVips.Enums.Direction.Vertical)))
        {
            rgb.Jpegsave(photo, q: 85);
        }

        var photoBytes = new FileInfo(photo).Length;
        await setup.UploadAsync("Bench photo.jpg", photo, csrf);
        var info = await setup.QueryAsync("action=query&prop=imageinfo&titles=File:Bench_photo.jpg&iiprop=url&iiurlwidth=800&format=json&formatversion=2");
        var thumbUrl = new Uri(info["query"]!["pages"]![0]!["imageinfo"]![0]!["thumburl"]!.GetValue<string>()).AbsolutePath;
        results.Add(await OneShotAsync(farm, "thumbnail 800px of a 24-megapixel JPEG (first fetch)", photoBytes, async () =>
        {
            var thumb = await setup.FetchAsync(thumbUrl);
            return $"{thumb.Length} bytes";
        }));
        results.Add(await VipsThumbnailAsync(photo, photoBytes, work));
        File.Delete(photo);
        return results;
    }

    private static async Task<OneShotResult> OneShotAsync(FarmProcess farm, string name, long bytes, Func<Task<string>> action)
    {
        var rssBefore = farm.CurrentMemoryBytes();
        var hwmBefore = farm.PeakMemoryBytes();
        farm.Process.Refresh();
        var cpuBefore = farm.Process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var note = await action();
        clock.Stop();
        farm.Process.Refresh();
        return new OneShotResult(name, bytes, clock.Elapsed, farm.Process.TotalProcessorTime - cpuBefore, rssBefore, farm.CurrentMemoryBytes(), hwmBefore, farm.PeakMemoryBytes(), note);
    }

    /// <summary>The same thumbnail by the vipsthumbnail command (Debian's libvips-tools), as the limit of what the library can do.</summary>
    private static async Task<OneShotResult> VipsThumbnailAsync(string photo, long bytes, string work)
    {
        const string Tool = "/usr/bin/vipsthumbnail";
        const string Name = "the same thumbnail by vipsthumbnail (command line)";
        if (!File.Exists(Tool))
        {
            return new OneShotResult(Name, bytes, TimeSpan.Zero, TimeSpan.Zero, 0, 0, 0, 0, "not installed (apt-get install libvips-tools)");
        }

        var start = new ProcessStartInfo(Tool) { ArgumentList = { photo, "--size", "800", "-o", Path.Combine(work, "vips-thumb.jpg") }, RedirectStandardError = true };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        long hwm = 0;
        while (!process.HasExited)
        {
            try
            {
                var status = await File.ReadAllLinesAsync($"/proc/{process.Id}/status");
                var line = status.FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null)
                {
                    hwm = Math.Max(hwm, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024);
                }
            }
            catch (IOException)
            {
                // The process ended between the check and the read.
            }

            await Task.Delay(5);
        }

        clock.Stop();
        return new OneShotResult(Name, bytes, clock.Elapsed, TimeSpan.Zero, 0, 0, 0, hwm, $"exit {process.ExitCode}; peak RSS of the tool {hwm / (1024.0 * 1024):F0} MB");
    }

    public static string Table(IReadOnlyList<OneShotResult> results)
    {
        static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.AppendLine("| one-shot | input MB | elapsed ms | MB/s | server CPU ms | VmRSS before → after MB | VmHWM growth MB | note |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in results)
        {
            var rate = r.Elapsed > TimeSpan.Zero ? (r.Bytes / (1024.0 * 1024) / r.Elapsed.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture) : "";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Mb(r.Bytes)} | {r.Elapsed.TotalMilliseconds:F0} | {rate} | {r.ServerCpu.TotalMilliseconds:F0} "
                + $"| {Mb(r.RssBefore)} → {Mb(r.RssAfter)} | {Mb(r.HwmAfter - r.HwmBefore)} | {r.Note} |");
        }

        return sb.ToString();
    }
}
