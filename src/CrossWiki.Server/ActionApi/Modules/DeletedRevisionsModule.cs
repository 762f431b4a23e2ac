using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=deletedrevisions (ApiQueryDeletedRevisions): the archived revisions of the set's titles, newest first, for
/// users with <c>deletedhistory</c>; their text only for users with <c>deletedtext</c>.
/// </summary>
internal sealed class DeletedRevisionsModule : QuerySubmodule
{
    public override string Name => "deletedrevisions";

    public override string Group => "prop";

    protected override string ModulePrefix => "drv";

    public override string Description => "Get deleted revision information.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum) { Multi = true, Default = "ids|timestamp|flags|comment|user", Values = ["ids", "flags", "timestamp", "user", "userid", "size", "slotsize", "sha1", "slotsha1", "contentmodel", "comment", "parsedcomment", "content", "tags", "roles"], Help = "Which properties to get for each revision." },
        new("slots") { Multi = true, Help = "Which revision slots to return data for, when slot-related properties are included in drvprops." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "Limit how many revisions will be returned." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        if (!ctx.User.HasRight("deletedhistory"))
        {
            throw ApiError.PermissionDenied("view deleted history");
        }

        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        if (props.Contains("content") && !ctx.User.HasRight("deletedtext"))
        {
            throw ApiError.PermissionDenied("view deleted text");
        }

        var slots = GetMulti(ctx, "slots").Count > 0;
        var limit = GetInt(ctx, "limit") ?? 10;
        // Continuation: the title to go on with (namespace and key) and the revision id to go on from.
        var parts = LinkQueries.ContinueParts(GetString(ctx, "continue"), 3);
        var resume = parts.Length == 3 ? (Ns: LinkQueries.ContinueInt(parts[0]), Key: parts[1], From: LinkQueries.ContinueInt(parts[2])) : ((int Ns, string Key, int From)?)null;
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var left = limit;
        foreach (var entry in state.Pages.Entries.Where(e => e.Title is { Namespace: >= 0 }))
        {
            var (ns, key) = (entry.Title!.Namespace, entry.Title.DbKey);
            var after = int.MaxValue;
            if (resume is { } at)
            {
                if (at.Ns != ns || at.Key != key)
                {
                    continue;
                }

                (after, resume) = (at.From, null);
            }

            var rows = await db.Archive.AsNoTracking().Where(a => a.WikiId == wikiId && a.Namespace == ns && a.Title == key && a.RevisionId <= after)
                .OrderByDescending(a => a.RevisionId).Take(left + 1).ToListAsync(ctx.Aborted);
            if (rows.Count == 0)
            {
                continue;
            }

            var list = new JsonArray();
            foreach (var a in rows.Take(left))
            {
                // An archived revision is written as a revision is (ApiQueryRevisionsBase serves both modules).
                list.Add(RevisionsModule.Describe(ctx, entry.Title, a.ToRevision(0), props, slots));
            }

            entry.Output[Name] = list;
            if (rows.Count > left)
            {
                state.PropContinue[Prefix + "continue"] = FormattableString.Invariant($"{ns}|{key}|{rows[left].RevisionId}");
                return;
            }

            left -= rows.Count;
            if (left == 0)
            {
                return;
            }
        }
    }
}
