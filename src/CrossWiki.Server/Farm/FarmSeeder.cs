using System.Security.Cryptography;
using CrossWiki.Server.Accounts;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Farm;

/// <summary>First-run content: a Main Page on every wiki and, on an empty farm, an admin whose password is printed once.</summary>
internal static class FarmSeeder
{
    public const string AdminName = "Admin";

    public static async Task SeedAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var farm = services.GetRequiredService<FarmConfig>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<WikiDbContext>>();
        var time = services.GetRequiredService<TimeProvider>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(ct))
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
            await services.GetRequiredService<UserDirectory>().CreateOrUpdateAsync(AdminName, password, ["sysop", "bureaucrat"], ct);
            await output.WriteLineAsync($"Created the first account: user '{AdminName}', password '{password}' (shown only this once).");
        }

        foreach (var wiki in farm.Wikis)
        {
            var wikiId = wiki.Id;
            if (await db.Pages.AnyAsync(p => p.WikiId == wikiId && p.Namespace == 0 && p.DbKey == "Main_Page", ct))
            {
                continue;
            }

            var title = Title.Create(wiki.Namespaces, 0, "Main_Page");
            var text = $"'''{wiki.Sitename}''' is a wiki of a CrossWiki farm.\n\n== Getting started ==\n* Read this page through the API: {wiki.ApiUrl}?action=query&prop=revisions&titles=Main_Page&rvprop=content&rvslots=main&format=json\n* Other wikis of this farm may read and write here from the browser: see [[Special:CrossWikiDemo]].";
            using var turn = await services.GetRequiredService<WriteGate>().EnterAsync(ct);
            await PageWriter.SaveAsync(db, wikiId, title, null, text, await PageLinkSet.FromTextAsync(db, text, title, wiki, time.GetUtcNow().UtcDateTime, ct), "Created the main page", minor: false, 0, "MediaWiki default", time.GetUtcNow().UtcDateTime, new ChangeFlags(Bot: false, Autopatrolled: true), ct);
        }
    }
}
