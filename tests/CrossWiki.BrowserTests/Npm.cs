namespace CrossWiki.BrowserTests;

/// <summary>Files from the npm packages the test command installs (tests/compat, <c>npm ci</c>).</summary>
internal static class Npm
{
    public static string JQuery => Require(Path.Combine("tests", "compat", "node_modules", "jquery", "dist", "jquery.min.js"));

    private static string Require(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrossWiki.slnx")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? ".", relative);
        Assert.True(File.Exists(path), $"{relative} is missing. Run the README's test command (bash tests/run.sh), which runs `npm ci --prefix tests/compat`.");
        return path;
    }
}
