using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CrossWiki.Testing;

/// <summary>
/// The server program (<c>dotnet CrossWiki.Server.dll</c>) in its own process, for tests of several nodes and
/// of the program itself. A serving node listens on <c>http://127.0.0.1:0</c>; the port Kestrel got is read
/// from the program's "Listening on" line, so no port is chosen before the bind. Clients name the wiki by
/// the Host header, which the farm file's <c>Server</c> settings give (names such as <c>alpha.test:7001</c>).
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The server program next to the test assembly (the test project references the server project).</summary>
    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "CrossWiki.Server.dll");

    /// <summary>The loopback port the node listens on.</summary>
    public int Port { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the program wrote so far, standard output and error interleaved.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts a node serving <paramref name="farmFile"/> and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string farmFile, string workingDirectory, TimeSpan timeout)
    {
        var process = new Process { StartInfo = StartInfo(workingDirectory, ["--farm", farmFile, "--urls", "http://127.0.0.1:0"]), EnableRaisingEvents = true };
        var node = new ServerProcess(process);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            node._output.Enqueue(e.Data);
            if (ListeningRegex().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                node._output.Enqueue(e.Data);
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("The server exited before it listened:\n" + node.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            node.Port = await listening.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException($"The server did not listen within {timeout.TotalSeconds} s:\n{node.Output}");
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Runs the program to its end (a command such as <c>createuser</c>, or a server that refuses to start).</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Runs the program to its end with <paramref name="environment"/> added to its environment variables.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = StartInfo(workingDirectory, args);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Ends the node at once, as a crash would (SIGKILL).</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(ServerDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    [GeneratedRegex(@"^Listening on http://127\.0\.0\.1:(\d+)$")]
    private static partial Regex ListeningRegex();
}
