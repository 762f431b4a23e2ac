using CrossWiki.Server.Accounts;
using CrossWiki.Server.Farm;

namespace CrossWiki.Server;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var (command, rest, farmFile) = CommandLine.Parse(args);
        try
        {
            return command switch
            {
                "createuser" => await CreateUserCommand.RunAsync(rest, farmFile, Console.Out, Console.Error),
                "cors-check" => await Cli.CorsCheckCommand.RunAsync(rest, Console.Out),
                "backup" => await Cli.BackupCommand.RunAsync(rest, farmFile, Console.Out, Console.Error),
                "serve" => await ServeAsync(rest, farmFile),
                _ => Usage(),
            };
        }
        catch (FarmHost.InvalidFarmException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static async Task<int> ServeAsync(string[] args, string? farmFile)
    {
        await using var app = FarmHost.Build(args, farmFile);
        await FarmHost.InitializeAsync(app, Console.Out, CancellationToken.None);
        await app.StartAsync();

        // The bound addresses, with the real port where --urls asked for port 0: tests and the bench start
        // server processes that way and read the port from this line.
        foreach (var address in app.Urls)
        {
            Console.WriteLine($"Listening on {address}");
        }

        var farm = app.Services.GetRequiredService<FarmConfig>();
        foreach (var wiki in farm.Wikis)
        {
            Console.WriteLine($"{wiki.Sitename} ({wiki.Id}): {wiki.Server}{wiki.ArticleUrl("Main_Page")}  api: {wiki.ApiUrl}");
        }

        Console.WriteLine("Log in at api.php with action=login or clientlogin; create accounts with: dotnet run --project src/CrossWiki.Server -- createuser NAME PASSWORD [--groups bot,sysop]");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("Usage: CrossWiki.Server [--farm FILE]\n       CrossWiki.Server createuser NAME PASSWORD [--groups g1,g2] [--farm FILE]\n       CrossWiki.Server backup FOLDER [--farm FILE]\n       CrossWiki.Server cors-check <api.php URL> --origin <origin> [--credentials] [--method POST] [--header NAME]...");
        return 2;
    }
}
