using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
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

    public override string Prefix => "rv";

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
        new("contentformat", ApiParamType.Enum) { Values = ["text/x-wiki"], Help = "Serialization format used for the content." },
        new("continue") { Help = "When more results are available, use this to continue." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var slotsGiven = ctx.Request.Peek(Prefix + "slots") is not null;
        GetMulti(ctx, "slots");
        GetString(ctx, "contentformat");
        GetString(ctx, "tag");
        GetString(ctx, "section");
        var dirRaw = ctx.Request.Peek("rvdir");
        var dir = GetString(ctx, "dir")!;
        var startId = GetInt(ctx, "startid");
        var endId = GetInt(ctx, "endid");
        var start = Timestamp(ctx, "start");
        var end = Timestamp(ctx, "end");
        var user = GetString(ctx, "user");
        var excludeUser = GetString(ctx, "excludeuser");
        var limitGiven = ctx.Request.Peek("rvlimit") is not null;
        var cont = GetString(ctx, "continue");
        var enumMode = limitGiven || startId is not null || endId is not null || dirRaw == "newer" || start is not null
            || end is not null || user is not null || excludeUser is not null;
        var content = props.Contains("content");
        if (content && !slotsGiven)
        {
            ctx.Result.Warn(Path, "deprecation-missingparam",
                "Because \"rvslots\" was not specified, a legacy format has been used for the output. This format is deprecated, and in the future the new format will always be used.");
        }

        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        if (state.Pages.FromRevIds)
        {
            if (enumMode)
            {
                throw new ApiError("revids", "The revids= parameter may not be used with the list options (rvlimit, rvstartid, rvendid, rvdir=newer, rvuser, rvexcludeuser, rvstart, and rvend).");
            }

            foreach (var entry in state.Pages.Existing)
            {
                var ids = entry.RevIds;
                var revs = await db.Revisions.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ctx.Aborted);
                Write(ctx, entry, revs.OrderBy(r => ids.IndexOf(r.Id)), props, slotsGiven);
            }

            return;
        }

        var existing = state.Pages.Existing.ToList();
        if (!enumMode)
        {
            foreach (var entry in existing)
            {
                var latest = entry.Page!.LatestRevisionId;
                var rev = await db.Revisions.AsNoTracking().FirstAsync(r => r.Id == latest, ctx.Aborted);
                Write(ctx, entry, [rev], props, slotsGiven);
            }

            return;
        }

        if (state.Pages.Entries.Count > 1)
        {
            throw new ApiError("invalidparammix",
                "titles, pageids or a generator was used to supply multiple pages, but the rvlimit, rvstartid, rvendid, rvdir=newer, rvuser, rvexcludeuser, rvstart, and rvend parameters may only be used on a single page.");
        }

        var limit = GetInt(ctx, "limit") ?? 10;
        if (content)
        {
            // With content the limits are ten times lower (MediaWiki's LIMIT_SML1/LIMIT_SML2).
            limit = Math.Min(limit, ctx.User.HasRight("apihighlimits") ? 500 : 50);
        }

        var newer = dir == "newer";
        foreach (var id in new[] { startId, endId })
        {
            if (id is { } rid && !await db.Revisions.AnyAsync(r => r.Id == rid && r.WikiId == ctx.Wiki.Id, ctx.Aborted))
            {
                var which = id == startId ? "startid" : "endid";
                throw new ApiError("badid_rv" + which, $"No revision was found for parameter \"rv{which}\".");
            }
        }

        if (existing.Count == 0)
        {
            return;
        }

        var entry0 = existing[0];
        var pageId = entry0.Page!.Id;
        var query = db.Revisions.AsNoTracking().Where(r => r.PageId == pageId);
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

        Write(ctx, entry0, rows, props, slotsGiven);
    }

    private DateTime? Timestamp(ApiContext ctx, string name)
    {
        var raw = GetString(ctx, name);
        if (raw is null)
        {
            return null;
        }

        return Timestamps.TryParse(raw, ctx.Now, out var t)
            ? t
            : throw new ApiError("badtimestamp", $"Invalid value \"{raw}\" for timestamp parameter \"{Prefix}{name}\".");
    }

    private static void Write(ApiContext ctx, PageEntry entry, IEnumerable<Revision> revisions, HashSet<string> props, bool slots)
    {
        var r = ctx.Result;
        var list = entry.Output["revisions"] as JsonArray ?? [];
        foreach (var rev in revisions)
        {
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

            if (props.Contains("user"))
            {
                o["user"] = rev.UserText;
                r.SetFlag(o, "anon", rev.UserId == 0);
            }

            if (props.Contains("userid"))
            {
                o["userid"] = rev.UserId;
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

            if (props.Contains("contentmodel") && !slots)
            {
                o["contentmodel"] = "wikitext";
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

            if (props.Contains("roles"))
            {
                o["roles"] = new JsonArray("main");
            }

            if (slots && (props.Contains("content") || props.Contains("slotsize") || props.Contains("slotsha1") || props.Contains("contentmodel")))
            {
                var main = new JsonObject();
                if (props.Contains("slotsize"))
                {
                    main["size"] = rev.Length;
                }

                if (props.Contains("slotsha1"))
                {
                    main["sha1"] = rev.Sha1;
                }

                if (props.Contains("contentmodel") || props.Contains("content"))
                {
                    main["contentmodel"] = "wikitext";
                }

                if (props.Contains("content"))
                {
                    main["contentformat"] = "text/x-wiki";
                    main[r.ContentKey] = rev.Text;
                }

                o["slots"] = new JsonObject { ["main"] = main };
            }
            else if (props.Contains("content"))
            {
                // Legacy layout without rvslots: content on the revision itself (nodemw, MediaWiki::API, git-mw).
                o["contentformat"] = "text/x-wiki";
                o["contentmodel"] = "wikitext";
                o[r.ContentKey] = rev.Text;
            }

            list.Add(o);
        }

        entry.Output["revisions"] = list;
    }
}
