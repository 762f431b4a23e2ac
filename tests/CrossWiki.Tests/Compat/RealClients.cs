using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CrossWiki.Tests.Compat;

/// <summary>What a client script did: its exit code and everything it printed.</summary>
internal sealed record ClientRun(string Script, int ExitCode, string Output, string Error, bool TimedOut)
{
    public string Describe() =>
        $"{Script} {(TimedOut ? $"timed out after {RealClients.Timeout.TotalSeconds:0} s" : $"exited with {ExitCode}")}.\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the client scripts of <c>tests/compat</c> (real MediaWiki clients from npm and Debian) as child
/// processes, after checking that the clients are installed: a missing client is a failure, never a skip.
/// </summary>
internal static class RealClients
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Debian's interpreter: python3-mwclient is installed into it, not into a pyenv one that may come first on PATH.</summary>
    public const string DebianPython = "/usr/bin/python3";

    private const string InstallHint =
        "Run the README's test command (bash tests/run.sh), which installs the clients before `dotnet test`: " +
        "`npm ci --prefix tests/compat` and `apt-get install -y python3-mwclient libmediawiki-bot-perl git-mediawiki`.";

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string CompatDirectory => Path.Combine(RepoRoot, "tests", "compat");

    /// <summary>Fails unless every npm package pinned in tests/compat/package.json is installed at its pinned version.</summary>
    public static void RequireNodePackages()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(CompatDirectory, "package.json")))!;
        foreach (var (name, pinned) in manifest["dependencies"]!.AsObject())
        {
            var installedManifest = Path.Combine(CompatDirectory, "node_modules", name, "package.json");
            if (!File.Exists(installedManifest))
            {
                Assert.Fail($"The npm package {name} is not installed in tests/compat/node_modules. {InstallHint}");
            }

            var installed = JsonNode.Parse(File.ReadAllText(installedManifest))!["version"]!.GetValue<string>();
            if (installed != pinned!.GetValue<string>())
            {
                Assert.Fail($"tests/compat/node_modules has {name} {installed}, but package.json pins {pinned}. {InstallHint}");
            }
        }
    }

    /// <summary>Fails unless Debian's Python can import mwclient.</summary>
    public static async Task RequireMwclientAsync()
    {
        var run = await RunAsync(DebianPython, ["-c", "import mwclient"], new Dictionary<string, string>());
        if (run.ExitCode != 0)
        {
            Assert.Fail($"Debian's {DebianPython} cannot import mwclient (package python3-mwclient). {InstallHint}\n{run.Describe()}");
        }
    }

    public static Task<ClientRun> RunNodeAsync(string script, IReadOnlyDictionary<string, string> environment) =>
        RunAsync("node", [Path.Combine(CompatDirectory, script)], environment);

    public static Task<ClientRun> RunPythonAsync(string script, IReadOnlyDictionary<string, string> environment) =>
        RunAsync(DebianPython, [Path.Combine(CompatDirectory, script)], environment);

    /// <summary>Fails unless Debian's Perl has MediaWiki::Bot (package libmediawiki-bot-perl).</summary>
    public static async Task RequireMediaWikiBotAsync()
    {
        var run = await RunAsync("/usr/bin/perl", ["-MMediaWiki::Bot", "-e", "1"], new Dictionary<string, string>());
        if (run.ExitCode != 0)
        {
            Assert.Fail($"Debian's perl cannot load MediaWiki::Bot (package libmediawiki-bot-perl). {InstallHint}\n{run.Describe()}");
        }
    }

    public static Task<ClientRun> RunPerlAsync(string script, IReadOnlyDictionary<string, string> environment) =>
        RunAsync("/usr/bin/perl", [Path.Combine(CompatDirectory, script)], environment);

    /// <summary>Runs a bash script of tests/compat (git-remote-mediawiki, which git runs itself).</summary>
    public static Task<ClientRun> RunBashAsync(string script, IReadOnlyDictionary<string, string> environment) =>
        RunAsync("/bin/bash", [Path.Combine(CompatDirectory, script)], environment);

    private static async Task<ClientRun> RunAsync(string fileName, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = CompatDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The farm is on loopback: a proxy configured for the registries must not carry these requests.
        start.Environment["NO_PROXY"] = start.Environment["no_proxy"] = "127.0.0.1,localhost";
        // Debian's Python must use its own library and leave no bytecode in the work tree.
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var script = string.Join(' ', [Path.GetFileName(fileName), .. arguments.Select(Path.GetFileName)]);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"Cannot start {fileName} ({e.Message}): node must be on PATH and Debian's python3 at {DebianPython}. {InstallHint}");
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(Timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        return new ClientRun(script, process.ExitCode, await output, await error, timedOut);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrossWiki.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains CrossWiki.slnx.");
    }
}
