using System.Globalization;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using CrossWiki.Server.Web.Components;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Web;

/// <summary>The page history, the difference between two revisions and old revisions (index.php's history, diff= and oldid=).</summary>
internal sealed partial class WikiWeb
{
    private const int HistoryLimit = 50;

    /// <summary>MediaWiki's date in lists and headers: <c>12:34, 3 December 2026</c>.</summary>
    internal static string ListDate(DateTime t) => t.ToString("HH:mm, d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string RevisionUrl(WebRequest r, Title title, int id) => WikiListings.Index(r.Wiki, title, ("oldid", id.ToString(CultureInfo.InvariantCulture)));

    private static string DiffUrl(WebRequest r, Title title, int diff, int oldId) =>
        WikiListings.Index(r.Wiki, title, ("diff", diff.ToString(CultureInfo.InvariantCulture)), ("oldid", oldId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>?action=history: 50 revisions a page, newest first; <c>offset</c> is the revision id to go on below.</summary>
    private async Task HistoryAsync(WebRequest r)
    {
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var page = await PageReads.PageByTitleAsync(db, r.Wiki.Id, r.Title.Namespace, r.Title.DbKey, ct);
        if (page is null)
        {
            await MessageAsync(r, r.Title.PrefixedText + ": Revision history", "There is no revision history for this page.", 404);
            return;
        }

        var wikiId = r.Wiki.Id;
        var pageId = page.Id;
        var below = int.TryParse(r.Http.Request.Query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : int.MaxValue;
        var rows = await db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId && v.PageId == pageId && v.Id < below).OrderByDescending(v => v.Id).Take(HistoryLimit + 1)
            .Select(v => new { v.Id, v.ParentId, v.UserText, v.Timestamp, v.Length, v.Minor, v.Comment }).ToListAsync(ct);
        var parents = rows.Select(v => v.ParentId).Where(id => id > 0).ToList();
        var parentSizes = await db.Revisions.AsNoTracking().Where(v => v.WikiId == wikiId && parents.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Length, ct);
        var lines = rows.Take(HistoryLimit).Select(v => new HistoryLine(
            v.Id, ListDate(v.Timestamp), RevisionUrl(r, r.Title, v.Id),
            v.Id == page.LatestRevisionId ? null : DiffUrl(r, r.Title, page.LatestRevisionId, v.Id),
            v.ParentId == 0 ? null : DiffUrl(r, r.Title, v.Id, v.ParentId),
            v.UserText, r.Wiki.ArticleUrl("User:" + v.UserText.Replace(' ', '_')), v.Length, v.Length - parentSizes.GetValueOrDefault(v.ParentId), v.Minor, v.Comment)).ToList();
        var older = rows.Count > HistoryLimit ? WikiListings.Index(r.Wiki, r.Title, ("action", "history"), ("offset", rows[HistoryLimit - 1].Id.ToString(CultureInfo.InvariantCulture))) : null;
        await RenderAsync<HistoryPage>(r.Http, new HistoryModel(Chrome(r), r.Title.PrefixedText, r.Wiki.ScriptPath + "/index.php", r.Title.PrefixedDbKey, lines, older));
    }

    /// <summary>
    /// ?diff= with or without <c>oldid</c>: <c>diff=N&amp;oldid=M</c> compares M with N; <c>diff=prev|next|cur</c>
    /// compare <c>oldid</c> with the revision before it, after it, or the latest; <c>diff=N</c> alone compares N with
    /// the revision before it.
    /// </summary>
    private async Task DiffAsync(WebRequest r, string diff)
    {
        var ct = r.Http.RequestAborted;
        var wikiId = r.Wiki.Id;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int? oldId = int.TryParse(r.Http.Request.Query["oldid"], NumberStyles.None, CultureInfo.InvariantCulture, out var parsedOld) ? parsedOld : null;
        Revision? older, newer;
        if (int.TryParse(diff, NumberStyles.None, CultureInfo.InvariantCulture, out var diffId))
        {
            newer = await PageReads.RevisionByIdAsync(db, wikiId, diffId, ct);
            older = oldId is { } id ? await PageReads.RevisionByIdAsync(db, wikiId, id, ct) : newer is null ? null : await PageReads.PreviousRevisionAsync(db, newer, ct);
            if (oldId is not null && older is null)
            {
                newer = null;
            }
        }
        else
        {
            var anchor = oldId is { } id ? await PageReads.RevisionByIdAsync(db, wikiId, id, ct) : await LatestOfTitleAsync(db, r);
            (older, newer) = (diff, anchor) switch
            {
                (_, null) => (null, null),
                ("prev", { } a) => (await PageReads.PreviousRevisionAsync(db, a, ct), a),
                ("next", { } a) => (a, await PageReads.NextRevisionAsync(db, a, ct) ?? a),
                (_, { } a) => (a, await PageReads.LatestRevisionOfPageAsync(db, a, ct)),
            };
        }

        if (newer is null)
        {
            var missing = oldId?.ToString(CultureInfo.InvariantCulture) ?? diff;
            await MessageAsync(r, "Difference between revisions", $"The revision #{missing} of the page named \"{r.Title.PrefixedText}\" does not exist.", 404);
            return;
        }

        if (older is not null && older.Id > newer.Id)
        {
            (older, newer) = (newer, older);
        }

        var title = await PageReads.TitleOfRevisionAsync(db, r.Wiki.Namespaces, newer, ct);
        var next = await PageReads.NextRevisionAsync(db, newer, ct);
        var oldSide = older is null ? null : new DiffSide($"Revision as of {ListDate(older.Timestamp)}", RevisionUrl(r, title, older.Id), older.UserText, older.Comment,
            older.ParentId > 0 ? "← Older edit" : null, older.ParentId > 0 ? DiffUrl(r, title, older.Id, older.ParentId) : null);
        var newSide = new DiffSide(next is null ? $"Latest revision as of {ListDate(newer.Timestamp)}" : $"Revision as of {ListDate(newer.Timestamp)}", RevisionUrl(r, title, newer.Id),
            newer.UserText, newer.Comment, next is null ? null : "Newer edit →", next is null ? null : DiffUrl(r, title, next.Id, newer.Id));
        var html = await RenderTextAsync(db, r, newer.Text, title, newer, ct);
        await RenderAsync<DiffPage>(r.Http, new DiffModel(Chrome(r), title.PrefixedText, oldSide, newSide, TableDiff.Render(older?.Text ?? "", newer.Text), html));
    }

    /// <summary>?oldid=N: the revision with MediaWiki's notice (mw-revision-info) and its neighbours.</summary>
    private async Task OldRevisionAsync(WebRequest r, int oldId)
    {
        var ct = r.Http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await PageReads.RevisionByIdAsync(db, r.Wiki.Id, oldId, ct) is not { } rev)
        {
            await MessageAsync(r, r.Title.PrefixedText, $"The revision #{oldId} of the page named \"{r.Title.PrefixedText}\" does not exist.", 404);
            return;
        }

        var title = await PageReads.TitleOfRevisionAsync(db, r.Wiki.Namespaces, rev, ct);
        var next = await PageReads.NextRevisionAsync(db, rev, ct);
        var notice = next is null
            ? $"This is the current revision of this page, as edited by {rev.UserText} at {ListDate(rev.Timestamp)}. The present address (URL) is a permanent link to this version."
            : $"This is an old revision of this page, as edited by {rev.UserText} at {ListDate(rev.Timestamp)}. It may differ significantly from the current revision.";
        var html = await RenderTextAsync(db, r, rev.Text, title, rev, ct);
        await RenderAsync<OldRevisionPage>(r.Http, new OldRevisionModel(Chrome(r), title.PrefixedText, notice, r.Wiki.ArticleUrl(title.PrefixedDbKey),
            rev.ParentId > 0 ? RevisionUrl(r, title, rev.ParentId) : null, next is null ? null : RevisionUrl(r, title, next.Id),
            WikiListings.Index(r.Wiki, title, ("diff", "prev"), ("oldid", rev.Id.ToString(CultureInfo.InvariantCulture))), html));
    }

    private async Task<string> RenderTextAsync(WikiDbContext db, WebRequest r, string text, Title title, Revision revision, CancellationToken ct)
    {
        var page = new Pages.Wikitext.ExpansionPage(title, time.GetUtcNow())
        {
            PageId = revision.PageId,
            RevisionId = revision.Id,
            RevisionTimestamp = new DateTimeOffset(DateTime.SpecifyKind(revision.Timestamp, DateTimeKind.Utc)),
            RevisionUser = revision.UserText,
        };
        var (holders, exists) = await WikiRendering.RenderAsync(db, r.Wiki, text, page, ct, files.SharedRepositoryFor(r.Wiki));
        return holders.Fill(exists);
    }

    private static async Task<Revision?> LatestOfTitleAsync(WikiDbContext db, WebRequest r)
    {
        var page = await PageReads.PageByTitleAsync(db, r.Wiki.Id, r.Title.Namespace, r.Title.DbKey, r.Http.RequestAborted);
        return page is null ? null : await PageReads.RevisionByIdAsync(db, r.Wiki.Id, page.LatestRevisionId, r.Http.RequestAborted);
    }
}
