using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=purge (ApiPurge): the pages' renderings are dropped (on the node that was asked; another node keeps
/// its copy, which is of the same revision) and their <c>touched</c> time moves on, so the next view renders them again; <c>forcelinkupdate</c>
/// also writes their link tables again. Posted, without a token, as MediaWiki takes it. Missing and invalid titles are
/// listed as such.
/// </summary>
internal sealed class PurgeModule : ApiModule
{
    public override string Name => "purge";

    public override bool MustBePosted => true;

    public override bool IsWriteMode => true;

    public override string Description => "Purge the cache for the given titles.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("forcelinkupdate", ApiParamType.Boolean) { Help = "Update the links tables and do other secondary data updates." },
        new("forcerecursivelinkupdate", ApiParamType.Boolean) { Help = "Same as forcelinkupdate, and update the links tables for any page that uses this page as a template." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("titles") { Multi = true, Help = "A list of titles to work on." },
        new("pageids") { Multi = true, Help = "A list of page IDs to work on." },
        new("redirects", ApiParamType.Boolean) { Help = "Automatically resolve redirects in titles and pageids." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var linkUpdate = GetBool(ctx, "forcelinkupdate") || GetBool(ctx, "forcerecursivelinkupdate");
        var r = ctx.Result;
        var list = new JsonArray();
        var wikiId = ctx.Wiki.Id;
        var now = ctx.Now;
        foreach (var entry in await PageSet.ForActionAsync(ctx, GetMulti(ctx, "titles"), GetMulti(ctx, "pageids"), GetBool(ctx, "redirects")))
        {
            if (entry.Title is not { } title)
            {
                list.Add(PageSet.Unlisted(r, entry));
                continue;
            }

            var o = new JsonObject();
            o["ns"] = title.Namespace;
            o["title"] = title.PrefixedText;
            if (entry.Page is not { } page)
            {
                r.SetFlag(o, "missing", true);
                list.Add(o);
                continue;
            }

            var pageId = page.Id;
            await using (var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted))
            {
                using var turn = await ctx.Services.Writes.EnterAsync(ctx.Aborted);
                await using var tx = await db.Database.BeginTransactionAsync(ctx.Aborted);
                await db.Pages.Where(x => x.WikiId == wikiId && x.Id == pageId).ExecuteUpdateAsync(u => u.SetProperty(x => x.Touched, now), ctx.Aborted);
                if (linkUpdate)
                {
                    // The link tables again from the latest text, as the save path writes them.
                    var text = (await PageReads.LatestRevisionAsync(db, wikiId, pageId, page.LatestRevisionId, ctx.Aborted)).Text;
                    await PageWriter.ReplaceLinksAsync(db, wikiId, title, pageId, await PageLinkSet.FromTextAsync(db, text, title, ctx.Wiki, now, ctx.Aborted), now, ctx.Aborted);
                    await db.SaveChangesAsync(ctx.Aborted);
                }

                await tx.CommitAsync(ctx.Aborted);
            }

            ctx.Services.Rendered.Forget(wikiId, page.LatestRevisionId);
            r.SetFlag(o, "purged", true);
            r.SetFlag(o, "linkupdate", linkUpdate);
            list.Add(o);
        }

        r.SetFlag(r.Data, "batchcomplete", true);
        r.Data["purge"] = list;
    }
}
