using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=revisions: the latest revision of each page, the revisions named by <c>revids</c>, or, for one
/// page, an enumeration (rvlimit, rvstartid, rvendid, rvdir, rvstart, rvend, rvuser) with continuation.
/// </summary>
internal sealed class RevisionsModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "revisions";

    public override string Group => "prop";

    protected override string ModulePrefix => "rv";

    public override string Description => "Get revision information.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Default = "ids|timestamp|flags|comment|user",
            Values = ["ids", "flags", "timestamp", "user", "userid", "size", "slotsize", "sha1", "slotsha1", "contentmodel", "comment", "parsedcomment", "content", "tags", "roles"],
            Help = "Which properties to get for each revision.",
        },
        new("slots", ApiParamType.Enum) { Multi = true, Values = ["main"], Help = "Which revision slots to return data for. Omitting it gives the legacy output format." },
        new("limit", ApiParamType.Limit) { Min = 1, Max = 500, HighMax = 5000, Help = "Limit how many revisions will be returned. May only be used with a single page." },
        new("startid", ApiParamType.Integer) { Help = "Start enumeration from this revision's timestamp." },
        new("endid", ApiParamType.Integer) { Help = "Stop enumeration at this revision's timestamp." },
        new("start", ApiParamType.Timestamp) { Help = "From which revision timestamp to start enumeration." },
        new("end", ApiParamType.Timestamp) { Help = "Enumerate up to this timestamp." },
        new("dir", ApiParamType.Enum) { Default = "older", Values = ["newer", "older"], Help = "In which direction to enumerate." },
        new("user", ApiParamType.User) { Help = "Only include revisions made by user." },
        new("excludeuser", ApiParamType.User) { Help = "Exclude revisions made by user." },
        new("tag") { Help = "Only list revisions tagged with this tag." },
        new("section") { Help = "Only retrieve the content of the section with this identifier." },
        new("contentformat", ApiParamType.Enum) { Values = ["text/x-wiki", "text/javascript", "text/css", "application/json"], Help = "Serialization format used for the content." },
        new("diffto") { Help = "Deprecated. Revision ID to diff each revision to. Use prev, next and cur for the previous, next and current revision respectively." },
        new("difftotext", ApiParamType.Text) { Help = "Deprecated. Text to diff each revision to. Overrides rvdiffto." },
        new("difftotextpst", ApiParamType.Boolean) { Help = "Deprecated. Perform a pre-save transform on the text before diffing it. Only valid when used with rvdifftotext." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    /// <summary>
    /// Whether a query for <c>titles</c> with <c>prop=revisions</c> shows each page's latest revision with its content
    /// (none of the list options), so that the page set reads it with the page (<see cref="PageSet.LoadAsync"/>).
    /// A wrong guess costs only a read: this module reads whatever the page set did not.
    /// </summary>
    public static bool ReadsLatestWithPages(ApiContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var request = ctx.Request;
        return request.Peek("rvprop") is { } rvprop && rvprop.Contains("content", StringComparison.Ordinal)
            && request.Peek("rvdir") != "newer"
            && ListOptions.All(name => request.Peek(name) is null);
    }

    private static readonly string[] ListOptions = ["rvlimit", "rvstartid", "rvendid", "rvstart", "rvend", "rvuser", "rvexcludeuser", "rvdiffto", "rvdifftotext"];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        // ApiQueryRevisions::run: every parameter is extracted first (badinteger, outofrange for rvlimit
        // against the general maximum), whatever the page set holds.
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var slotsGiven = ctx.Request.Peek(Prefix + "slots") is not null;
        GetMulti(ctx, "slots");
        var limitParam = GetInt(ctx, "limit");
        var startId = GetInt(ctx, "startid");
        var endId = GetInt(ctx, "endid");
        var start = GetTimestamp(ctx, "start");
        var end = GetTimestamp(ctx, "end");
        var dir = GetString(ctx, "dir")!;
        var user = GetString(ctx, "user");
        var excludeUser = GetString(ctx, "excludeuser");
        GetString(ctx, "tag");
        GetString(ctx, "section");
        GetString(ctx, "contentformat");
        var diffTo = DiffTo(ctx);
        var cont = GetString(ctx, "continue");

        // Enumeration mode works on exactly one page.
        var enumMode = limitParam is not null || startId is not null || endId is not null || ctx.Request.Peek("rvdir") == "newer"
            || start is not null || end is not null || user is not null || excludeUser is not null;
        var existing = state.Pages.Existing.ToList();
        var revCount = existing.Sum(e => e.RevIds.Count);
        if (existing.Count == 0)
        {
            // Nothing to do: no warnings about the output format either.
            return;
        }

        if (revCount > 0 && enumMode)
        {
            throw new ApiError("invalidparammix",
                "The \"revids\" parameter may not be used with the list options (\"rvlimit\", \"rvstartid\", \"rvendid\", \"rvdir=newer\", \"rvuser\", \"rvexcludeuser\", \"rvstart\", and \"rvend\").");
        }

        if (existing.Count > 1 && enumMode)
        {
            throw new ApiError("invalidparammix",
                "\"titles\", \"pageids\" or a generator was used to supply multiple pages, but the \"rvlimit\", \"rvstartid\", \"rvendid\", \"rvdir=newer\", \"rvuser\", \"rvexcludeuser\", \"rvstart\", and \"rvend\" parameters may only be used on a single page.");
        }

        // ApiQueryRevisionsBase::parseParameters: with content the limits are LIMIT_SML1/LIMIT_SML2 (50/500),
        // otherwise LIMIT_BIG1/LIMIT_BIG2 (500/5000); the limit is validated again against them.
        var content = props.Contains("content");
        var high = ctx.User.HasRight("apihighlimits");
        var max = content ? (high ? 500 : 50) : (high ? 5000 : 500);
        var limit = enumMode ? Clamp(ctx, Prefix + "limit", (limitParam ?? 10).ToString(CultureInfo.InvariantCulture), limitParam ?? 10, 1, max) : max;
        var needSlots = content || props.Contains("contentmodel") || props.Contains("slotsize") || props.Contains("slotsha1");
        if (needSlots && !slotsGiven)
        {
            ctx.Result.Deprecate(Path, "deprecation",
                "Because \"rvslots\" was not specified, a legacy format has been used for the output. This format is deprecated, and in the future the new format will always be used.");
        }

        if (!enumMode && revCount == 0 && diffTo is null && existing.TrueForAll(e => e.LatestRevision is not null))
        {
            // The page set read the latest revisions with their pages (ReadsLatestWithPages): nothing more to read.
            foreach (var entry in existing)
            {
                Write(ctx, entry, [entry.LatestRevision!], props, slotsGiven, null);
            }

            return;
        }

        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        if (revCount > 0)
        {
            foreach (var entry in existing)
            {
                var ids = entry.RevIds;
                var wikiId = ctx.Wiki.Id;
                var revs = await db.Revisions.AsNoTracking().Where(r => r.WikiId == wikiId && ids.Contains(r.Id)).ToListAsync(ctx.Aborted);
                revs.Sort((a, b) => a.Id.CompareTo(b.Id));
                Write(ctx, entry, revs, props, slotsGiven, await DiffsAsync(ctx, db, revs, diffTo));
            }

            return;
        }

        if (!enumMode)
        {
            foreach (var entry in existing)
            {
                var rev = await PageReads.LatestRevisionAsync(db, entry.Page!.WikiId, entry.Page.Id, entry.Page.LatestRevisionId, ctx.Aborted);
                Write(ctx, entry, [rev], props, slotsGiven, await DiffsAsync(ctx, db, [rev], diffTo));
            }

            return;
        }

        var newer = dir == "newer";
        foreach (var (id, which) in new[] { (startId, "startid"), (endId, "endid") })
        {
            // The ids are looked up in the whole wiki, not only in this page's history.
            if (id is { } rid && !await db.Revisions.AnyAsync(r => r.Id == rid && r.WikiId == ctx.Wiki.Id, ctx.Aborted))
            {
                throw new ApiError("badid_rv" + which, $"No revision was found for parameter \"rv{which}\".");
            }
        }

        var entry0 = existing[0];
        var pageId = entry0.Page!.Id;
        var pageWiki = entry0.Page.WikiId;
        var query = db.Revisions.AsNoTracking().Where(r => r.WikiId == pageWiki && r.PageId == pageId);
        if (startId is { } s)
        {
            query = newer ? query.Where(r => r.Id >= s) : query.Where(r => r.Id <= s);
        }

        if (endId is { } e)
        {
            query = newer ? query.Where(r => r.Id <= e) : query.Where(r => r.Id >= e);
        }

        if (start is { } st)
        {
            query = newer ? query.Where(r => r.Timestamp >= st) : query.Where(r => r.Timestamp <= st);
        }

        if (end is { } en)
        {
            query = newer ? query.Where(r => r.Timestamp <= en) : query.Where(r => r.Timestamp >= en);
        }

        if (user is not null)
        {
            query = query.Where(r => r.UserText == user);
        }

        if (excludeUser is not null)
        {
            query = query.Where(r => r.UserText != excludeUser);
        }

        if (cont is not null)
        {
            var sep = cont.LastIndexOf('|');
            if (sep < 0 || !int.TryParse(cont.AsSpan(sep + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var contId))
            {
                throw new ApiError("badcontinue", "Invalid continue param. You should pass the original value returned by the previous query.");
            }

            query = newer ? query.Where(r => r.Id >= contId) : query.Where(r => r.Id <= contId);
        }

        query = newer ? query.OrderBy(r => r.Id) : query.OrderByDescending(r => r.Id);
        var rows = await query.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            var next = rows[limit];
            state.PropContinue["rvcontinue"] = Timestamps.Mw(next.Timestamp) + "|" + next.Id.ToString(CultureInfo.InvariantCulture);
            rows.RemoveAt(limit);
        }

        Write(ctx, entry0, rows, props, slotsGiven, await DiffsAsync(ctx, db, rows, diffTo));
    }

    /// <summary>What <c>rvdiffto</c> or <c>rvdifftotext</c> (deprecated, still read by older tools) asks each revision to be compared with.</summary>
    private sealed record DiffRequest(string? To, string? Text);

    private DiffRequest? DiffTo(ApiContext ctx)
    {
        var to = GetString(ctx, "diffto");
        var text = GetString(ctx, "difftotext");
        var pst = GetBool(ctx, "difftotextpst");
        foreach (var (name, given) in new[] { ("diffto", to is not null), ("difftotext", text is not null), ("difftotextpst", pst) })
        {
            if (given)
            {
                ctx.Result.Deprecate(Path, "deprecation", $"The parameter \"{Prefix}{name}\" has been deprecated.");
            }
        }

        if (text is not null)
        {
            return new DiffRequest(null, pst ? EditText.PreSaveTransform(text) : text);
        }

        if (to is null)
        {
            return null;
        }

        if (to is not ("prev" or "next" or "cur") && (!int.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 0))
        {
            throw new ApiError("diffto", $"{Prefix}diffto must be set to a non-negative number, prev, next or cur.");
        }

        return new DiffRequest(to, null);
    }

    /// <summary>The <c>diff</c> object of each revision: from and to ids, and the diff table rows as the content value.</summary>
    private static async Task<Dictionary<int, JsonObject>?> DiffsAsync(ApiContext ctx, WikiDbContext db, List<Revision> revisions, DiffRequest? request)
    {
        if (request is null)
        {
            return null;
        }

        var key = ctx.Result.ContentKeyOf("body");
        var diffs = new Dictionary<int, JsonObject>();
        foreach (var rev in revisions)
        {
            if (request.Text is { } text)
            {
                diffs[rev.Id] = new JsonObject { [key] = TableDiff.Render(rev.Text, text) };
                continue;
            }

            var (from, to) = request.To switch
            {
                "prev" => (await PageReads.PreviousRevisionAsync(db, rev, ctx.Aborted), rev),
                "next" => (rev, await PageReads.NextRevisionAsync(db, rev, ctx.Aborted) ?? rev),
                "cur" => (rev, await PageReads.LatestRevisionOfPageAsync(db, rev, ctx.Aborted)),
                _ => (rev, await PageReads.RevisionByIdAsync(db, rev.WikiId, int.Parse(request.To!, CultureInfo.InvariantCulture), ctx.Aborted)
                    ?? throw new ApiError("nosuchrevid", $"There is no revision with ID {request.To}.")),
            };
            var o = new JsonObject();
            if (from is not null)
            {
                o["from"] = from.Id;
            }

            o["to"] = to.Id;
            o[key] = TableDiff.Render(from?.Text ?? "", to.Text);
            diffs[rev.Id] = o;
        }

        return diffs;
    }

    /// <summary>One revision in ApiQueryRevisionsBase::extractRevisionInfo's key order: the slot or legacy content before the comment.</summary>
    private static void Write(ApiContext ctx, PageEntry entry, List<Revision> revisions, HashSet<string> props, bool slots, Dictionary<int, JsonObject>? diffs)
    {
        var list = entry.Output["revisions"] as JsonArray ?? [];
        foreach (var rev in revisions)
        {
            var o = Describe(ctx, entry.Title!, rev, props, slots);
            if (diffs is not null && diffs.TryGetValue(rev.Id, out var diff))
            {
                o["diff"] = diff;
            }

            list.Add(o);
        }

        entry.Output["revisions"] = list;
    }

    /// <summary>
    /// One revision as ApiQueryRevisionsBase writes it, for prop=revisions and prop=deletedrevisions alike: the asked
    /// <paramref name="props"/> in MediaWiki's order, the content in the <c>main</c> slot with <paramref name="slots"/>
    /// or on the revision itself without.
    /// </summary>
    internal static JsonObject Describe(ApiContext ctx, Title title, Revision rev, HashSet<string> props, bool slots)
    {
        var r = ctx.Result;
        var content = props.Contains("content");
        var model = ContentModel.For(title);
        var o = new JsonObject();
        if (props.Contains("ids"))
        {
            o["revid"] = rev.Id;
            o["parentid"] = rev.ParentId;
        }

        if (props.Contains("flags"))
        {
            r.SetBool(o, "minor", rev.Minor);
        }

        if (props.Contains("user") || props.Contains("userid"))
        {
            if (props.Contains("user"))
            {
                o["user"] = rev.UserText;
            }

            r.SetFlag(o, "anon", rev.UserId == 0);
            if (props.Contains("userid"))
            {
                o["userid"] = rev.UserId;
            }
        }

        if (props.Contains("timestamp"))
        {
            o["timestamp"] = Timestamps.Iso(rev.Timestamp);
        }

        if (props.Contains("size"))
        {
            o["size"] = rev.Length;
        }

        if (props.Contains("sha1"))
        {
            o["sha1"] = rev.Sha1;
        }

        if (props.Contains("roles"))
        {
            o["roles"] = new JsonArray("main");
        }

        var slot = new JsonObject();
        if (props.Contains("slotsize"))
        {
            slot["size"] = rev.Length;
        }

        if (props.Contains("slotsha1"))
        {
            slot["sha1"] = rev.Sha1;
        }

        if (props.Contains("contentmodel"))
        {
            slot["contentmodel"] = model.Name;
        }

        if (slots && (content || slot.Count > 0))
        {
            if (content)
            {
                slot["contentmodel"] = model.Name;
                slot["contentformat"] = model.Format;
                slot[r.ContentKey] = rev.Text;
            }

            o["slots"] = new JsonObject { ["main"] = slot };
        }
        else if (!slots)
        {
            // Legacy layout without rvslots: the main slot's fields and content on the revision itself
            // (nodemw, MediaWiki::API, git-mw).
            foreach (var (k, v) in slot.ToList())
            {
                slot.Remove(k);
                o[k] = v;
            }

            if (content)
            {
                o["contentformat"] = model.Format;
                o["contentmodel"] = model.Name;
                o[r.ContentKey] = rev.Text;
            }
        }

        if (props.Contains("comment"))
        {
            o["comment"] = rev.Comment;
        }

        if (props.Contains("parsedcomment"))
        {
            o["parsedcomment"] = WebUtility.HtmlEncode(rev.Comment);
        }

        if (props.Contains("tags"))
        {
            o["tags"] = new JsonArray();
        }

        return o;
    }
}
