namespace CrossWiki.Server;

/// <summary>The program's command line: an optional command word, <c>--farm FILE</c> anywhere, the rest passed on.</summary>
internal static class CommandLine
{
    public static (string Command, string[] Arguments, string? FarmFile) Parse(string[] args)
    {
        var rest = new List<string>();
        string? farm = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--farm" && i + 1 < args.Length)
            {
                farm = args[++i];
            }
            else if (args[i].StartsWith("--farm=", StringComparison.Ordinal))
            {
                farm = args[i]["--farm=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        if (rest.Count > 0 && rest[0] is "createuser" or "cors-check" or "backup" or "help" or "--help")
        {
            return (rest[0] is "createuser" or "cors-check" or "backup" ? rest[0] : "help", rest.Skip(1).ToArray(), farm);
        }

        return ("serve", rest.ToArray(), farm);
    }
}
