using CrossWiki.Server.Farm;

namespace CrossWiki.Server.Accounts;

/// <summary><c>createuser NAME PASSWORD [--groups g1,g2]</c>: creates a farm-wide account, or updates it (as createAndPromote.php --force).</summary>
internal static class CreateUserCommand
{
    public static async Task<int> RunAsync(string[] args, string? farmFile, TextWriter output, TextWriter error)
    {
        var positional = new List<string>();
        var groups = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--groups" && i + 1 < args.Length)
            {
                groups.AddRange(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (positional.Count != 2)
        {
            await error.WriteLineAsync("Usage: createuser NAME PASSWORD [--groups bot,sysop,bureaucrat] [--farm FILE]");
            return 2;
        }

        var unknown = groups.Where(g => !Rights.ExplicitGroups.Contains(g)).ToList();
        if (unknown.Count > 0)
        {
            await error.WriteLineAsync($"Unknown group(s): {string.Join(", ", unknown)}. Known groups: {string.Join(", ", Rights.ExplicitGroups)}.");
            return 2;
        }

        // UserNameUtils::isValid against the default namespaces (the farm is not loaded yet).
        var name = UserNames.Normalize(positional[0]);
        if (!UserNames.IsValid(name, Pages.NamespaceTable.Create("Project")))
        {
            await error.WriteLineAsync($"'{positional[0]}' is not a valid user name.");
            return 2;
        }

        if (positional[1].Length < 1)
        {
            await error.WriteLineAsync("The password must not be empty.");
            return 2;
        }

        await using var app = FarmHost.Build([], farmFile);
        await FarmHost.InitializeAsync(app, output, CancellationToken.None);
        var (account, created) = await app.Services.GetRequiredService<UserDirectory>().CreateOrUpdateAsync(name, positional[1], groups, CancellationToken.None);
        await output.WriteLineAsync($"{(created ? "Created" : "Updated")} account '{account.Name}' (id {account.Id}) with groups: {(groups.Count == 0 ? "(none)" : string.Join(", ", groups))}.");
        return 0;
    }
}
