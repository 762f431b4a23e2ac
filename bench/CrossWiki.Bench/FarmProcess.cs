using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace CrossWiki.Bench;

/// <summary>
/// A CrossWiki farm in its own process: a farm file and SQLite database in a temporary folder, two
/// wikis on loopback ports, the server's output kept in <c>server.log</c>.
/// </summary>
internal sealed class FarmProcess : IAsyncDisposable
{
    public const string WikiId = "benchwiki";

    /// <summary>The origin the wiki allows credentialed cross-origin calls from (a CrossSiteAJAXdomains rule).</summary>
    public const string AllowedOrigin = "https://gadgets.bench.test";

    private readonly Process _process;
    private readonly StreamWriter _log;

    private FarmProcess(Process process, StreamWriter log, string dataDirectory, int port)
    {
        _process = process;
        _log = log;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string Origin => $"http://127.0.0.1:{Port}";

    public int ProcessId => _process.Id;

    /// <summary>The server process (for its CPU time).</summary>
    public Process Process => _process;

    /// <summary>Writes the farm file, creates the bench account (which also creates the database) and starts the server.</summary>
    public static async Task<FarmProcess> StartAsync(string serverDll, string workDirectory, string userName, string password)
    {
        var dataDirectory = Path.Combine(workDirectory, "data");
        var port = FreePort();
        var otherPort = FreePort();
        var farmFile = Path.Combine(workDirectory, "farm.json");
        var farm = new Dictionary<string, object>
        {
            ["Farm"] = new Dictionary<string, object>
            {
                ["DataDirectory"] = dataDirectory,
                ["Wikis"] = new Dictionary<string, object>
                {
                    [WikiId] = Wiki("Bench Wiki", port, ["gadgets.bench.test", $"127.0.0.1:{otherPort}"]),
                    ["otherwiki"] = Wiki("Other Wiki", otherPort, [$"127.0.0.1:{port}"]),
                },
            },
        };
        await File.WriteAllTextAsync(farmFile, JsonSerializer.Serialize(farm));

        var logPath = Path.Combine(workDirectory, "server.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var create = await RunToEndAsync(serverDll, ["createuser", userName, password, "--farm", farmFile], log);
        if (create != 0)
        {
            throw new InvalidOperationException($"createuser failed (exit {create}); see {logPath}");
        }

        var process = Start(serverDll, ["--farm", farmFile, "--urls", $"http://127.0.0.1:{port};http://127.0.0.1:{otherPort}"], log);
        var farmProcess = new FarmProcess(process, log, dataDirectory, port);
        await farmProcess.WaitUntilServingAsync(logPath);
        return farmProcess;
    }

    private static Dictionary<string, object> Wiki(string name, int port, string[] allowed) => new()
    {
        ["Sitename"] = name,
        ["Server"] = $"http://127.0.0.1:{port}",
        ["CrossSiteAJAXdomains"] = allowed,
        ["AllowCrossOrigin"] = true,
        ["RestAllowCrossOriginCookieAuth"] = true,
        ["CentralAuth"] = true,
    };

    /// <summary>Peak resident memory of the server process (VmHWM), in bytes.</summary>
    public long PeakMemoryBytes() => ProcStatus("VmHWM:");

    /// <summary>Current resident memory of the server process (VmRSS), in bytes.</summary>
    public long CurrentMemoryBytes() => ProcStatus("VmRSS:");

    private long ProcStatus(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private async Task WaitUntilServingAsync(string logPath)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}; see {logPath}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"{Origin}/w/api.php?action=query&meta=siteinfo&format=json"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The server did not answer within 90 s; see {logPath}");
    }

    private static Process Start(string serverDll, string[] args, StreamWriter log)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(serverDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        // The server runs as deployed: Release build, Production environment.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the server.");
        process.OutputDataReceived += (_, e) => Log(log, e.Data);
        process.ErrorDataReceived += (_, e) => Log(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Log(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private static async Task<int> RunToEndAsync(string serverDll, string[] args, StreamWriter log)
    {
        using var process = Start(serverDll, args, log);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>The dotnet host that runs this bench runs the server too.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
