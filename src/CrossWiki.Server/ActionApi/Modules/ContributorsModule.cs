using System.Globalization;
using System.Text.Json.Nodes;
using CrossWiki.Server.Accounts;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=contributors (ApiQueryContributors): the registered users who edited each page of the set, by user
/// id, and how many anonymous addresses did; <c>pccontinue</c> is <c>page id|user id</c>.
/// </summary>
internal sealed class ContributorsModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "contributors";

    public override string Group => "prop";

    protected override string ModulePrefix => "pc";

    public override string Description => "Get the list of logged-in contributors and the count of anonymous contributors to a page.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("group", ApiParamType.Enum) { Multi = true, Values = Rights.AllGroups, Help = "Only include users in the given groups." },
        new("excludegroup", ApiParamType.Enum) { Multi = true, Values = Rights.AllGroups, Help = "Exclude users in the given groups." },
        new("rights", ApiParamType.Enum) { Multi = true, Values = Rights.AllRights, Help = "Only include users having the given rights." },
        new("excluderights", ApiParamType.Enum) { Multi = true, Values = Rights.AllRights, Help = "Exclude users having the given rights." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many contributors to return." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var filter = new UserFilter(GetMulti(ctx, "group"), GetMulti(ctx, "excludegroup"), GetMulti(ctx, "rights"), GetMulti(ctx, "excluderights"));
        var limit = GetInt(ctx, "limit") ?? 10;
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), 2);
        var (fromPage, fromUser) = parts.Length == 2 ? (LinkQueries.ContinueInt(parts[0]), LinkQueries.ContinueInt(parts[1])) : (0, 0);
        var pages = state.Pages.Existing.Where(e => e.Page!.Id >= fromPage).ToDictionary(e => e.Page!.Id);
        if (pages.Count == 0)
        {
            return;
        }

        var ids = pages.Keys.ToList();
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var revisions = db.Revisions.AsNoTracking().Where(r => r.WikiId == wikiId && ids.Contains(r.PageId));

        // Anonymous editors are counted once per page, on the batch that starts the page.
        if (filter.IsEmpty)
        {
            var anons = await revisions.Where(r => r.UserId == 0 && (r.PageId > fromPage || fromUser == 0))
                .GroupBy(r => r.PageId).Select(g => new { PageId = g.Key, Count = g.Select(r => r.UserText).Distinct().Count() })
                .ToListAsync(ctx.Aborted);
            foreach (var anon in anons)
            {
                pages[anon.PageId].Output["anoncontributors"] = anon.Count;
            }
        }

        var contributors = await (
            from r in revisions
            where r.UserId > 0 && (r.PageId > fromPage || r.UserId >= fromUser)
            join u in db.Users on r.UserId equals u.Id
            select new { r.PageId, UserId = u.Id, u.Name, u.Groups })
            .Distinct().OrderBy(c => c.PageId).ThenBy(c => c.UserId).ToListAsync(ctx.Aborted);
        var kept = filter.IsEmpty ? contributors : [.. contributors.Where(c => Rights.Passes(WikiUser.ParseGroups(c.Groups), filter))];
        if (kept.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = string.Create(CultureInfo.InvariantCulture, $"{kept[limit].PageId}|{kept[limit].UserId}");
            kept = kept[..limit];
        }

        foreach (var group in kept.GroupBy(c => c.PageId))
        {
            pages[group.Key].Output[Name] = new JsonArray([.. group.Select(c => (JsonNode)new JsonObject { ["userid"] = c.UserId, ["name"] = c.Name })]);
        }
    }
}
