using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CrossWiki.Bench;

/// <summary>
/// A CrossWiki farm in its own process: a farm file and SQLite database in a temporary folder, two
/// wikis served on one loopback port, the server's output kept in <c>server.log</c>. The server listens on
/// port 0 and prints the port it got; the wikis are named by the Host header (<see cref="Host"/>), as behind
/// a proxy, so no port has to be chosen before the server binds it.
/// </summary>
internal sealed partial class FarmProcess : IAsyncDisposable
{
    public const string WikiId = "benchwiki";

    /// <summary>The bench wiki's Host (its <c>Server</c> without the scheme); every request to the farm sends it.</summary>
    public const string Host = "bench.test:8080";

    private const string OtherHost = "other.bench.test:8081";

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

    /// <summary>Where the server listens; requests name the wiki with the <see cref="Host"/> header.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    public int ProcessId => _process.Id;

    /// <summary>The server process (for its CPU time).</summary>
    public Process Process => _process;

    /// <summary>Writes the farm file, creates the bench account (which also creates the database) and starts the server.</summary>
    public static async Task<FarmProcess> StartAsync(string serverDll, string workDirectory, string userName, string password)
    {
        var dataDirectory = Path.Combine(workDirectory, "data");
        var farmFile = Path.Combine(workDirectory, "farm.json");
        var farm = new Dictionary<string, object>
        {
            ["Farm"] = new Dictionary<string, object>
            {
                ["DataDirectory"] = dataDirectory,
                ["Wikis"] = new Dictionary<string, object>
                {
                    [WikiId] = Wiki("Bench Wiki", Host, ["gadgets.bench.test", OtherHost]),
                    ["otherwiki"] = Wiki("Other Wiki", OtherHost, [Host]),
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

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Start(serverDll, ["--farm", farmFile, "--urls", "http://127.0.0.1:0"], log, line =>
        {
            if (ListeningRegex().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        });
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The server exited with {process.ExitCode}; see {logPath}"));
        if (process.HasExited)
        {
            listening.TrySetException(new InvalidOperationException($"The server exited with {process.ExitCode}; see {logPath}"));
        }

        int port;
        try
        {
            // The server prints the line once it has started, so it serves from then on.
            port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            await log.DisposeAsync();
            throw;
        }

        return new FarmProcess(process, log, dataDirectory, port);
    }

    private static Dictionary<string, object> Wiki(string name, string host, string[] allowed) => new()
    {
        ["Sitename"] = name,
        ["Server"] = $"http://{host}",
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

    private static Process Start(string serverDll, string[] args, StreamWriter log, Action<string>? onOutput = null)
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
        process.OutputDataReceived += (_, e) =>
        {
            Log(log, e.Data);
            if (e.Data is not null)
            {
                onOutput?.Invoke(e.Data);
            }
        };
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

    [GeneratedRegex(@"^Listening on http://127\.0\.0\.1:(\d+)$")]
    private static partial Regex ListeningRegex();
}
