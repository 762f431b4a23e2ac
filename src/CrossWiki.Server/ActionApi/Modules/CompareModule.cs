using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// action=compare (ApiComparePages): the difference between two revisions, pages or texts in MediaWiki's
/// diff table rows, with <c>torelative</c> (prev, next, cur) and the from/to fields of <c>prop</c> in its order.
/// </summary>
internal sealed class CompareModule : ApiModule
{
    public override string Name => "compare";

    public override string Description => "Get the difference between two pages.";

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        .. Side("from", "First"),
        .. Side("to", "Second"),
        new("torelative", ApiParamType.Enum) { Values = ["prev", "next", "cur"], Help = "Use a revision relative to the revision determined from fromtitle, fromid or fromrev." },
        new("prop", ApiParamType.Enum)
        {
            Multi = true,
            Default = "diff|ids|title",
            Values = ["diff", "diffsize", "rel", "ids", "title", "user", "comment", "parsedcomment", "size", "timestamp"],
            Help = "Which pieces of information to get.",
        },
        new("slots", ApiParamType.Enum) { Multi = true, Values = ["main"], Help = "Return individual diffs for these slots, rather than one combined diff." },
        new("difftype", ApiParamType.Enum) { Values = ["table"], Default = "table", Help = "Return the comparison formatted as inline HTML." },
    ];

    private static ApiParam[] Side(string side, string which) =>
    [
        new(side + "title") { Help = $"{which} title to compare." },
        new(side + "id", ApiParamType.Integer) { Help = $"{which} page ID to compare." },
        new(side + "rev", ApiParamType.Integer) { Help = $"{which} revision to compare." },
        new(side + "slots", ApiParamType.Enum) { Multi = true, Values = ["main"], Help = $"Override content of the revision specified by {side}title, {side}id or {side}rev." },
        new(side + "text", ApiParamType.Text) { Help = $"Use this text instead of the content of the revision specified by {side}title, {side}id or {side}rev." },
        new(side + "pst", ApiParamType.Boolean) { Help = $"Do a pre-save transform on {side}text." },
        new(side + "contentformat", ApiParamType.Enum) { Values = ["text/x-wiki", "text/javascript", "text/css", "application/json"], Help = $"Content serialization format of {side}text." },
        new(side + "contentmodel", ApiParamType.Enum) { Values = ["wikitext", "javascript", "css", "json"], Help = $"Content model of {side}text." },
    ];

    /// <summary>One side of the comparison: its text, and the revision it names (null for a supplied text or an empty "previous").</summary>
    private sealed record SideValue(string Text, Revision? Revision, Title? Title);

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        RequireAtLeastOne(("fromtitle", GetString(ctx, "fromtitle")), ("fromid", GetInt(ctx, "fromid")), ("fromrev", GetInt(ctx, "fromrev")),
            ("fromtext", GetString(ctx, "fromtext")), ("fromslots", Slots(ctx, "fromslots")));
        RequireAtLeastOne(("totitle", GetString(ctx, "totitle")), ("toid", GetInt(ctx, "toid")), ("torev", GetInt(ctx, "torev")),
            ("totext", GetString(ctx, "totext")), ("torelative", GetString(ctx, "torelative")), ("toslots", Slots(ctx, "toslots")));
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        GetMulti(ctx, "slots");
        GetString(ctx, "difftype");

        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var (from, fromNamed) = await SideAsync(ctx, db, "from");
        SideValue to;
        Revision? toNamed;
        if (GetString(ctx, "torelative") is { } relative)
        {
            var anchor = from.Revision ?? fromNamed ?? throw new ApiError("compare-relative-to-nothing", "No 'from' revision for torelative to be relative to.");
            var title = await PageReads.TitleOfRevisionAsync(db, ctx.Wiki.Namespaces, anchor, ctx.Aborted);
            switch (relative)
            {
                case "prev":
                {
                    to = from;
                    toNamed = fromNamed;
                    var previous = await PageReads.PreviousRevisionAsync(db, anchor, ctx.Aborted);
                    if (previous is null)
                    {
                        ctx.Result.Warn(Name, "compare-no-prev", $"Revision {anchor.Id} of \"{title.PrefixedText}\" has no previous revision to compare to.");
                    }

                    from = new SideValue(previous?.Text ?? "", previous, title);
                    fromNamed = previous;
                    break;
                }

                case "next":
                {
                    var next = await PageReads.NextRevisionAsync(db, anchor, ctx.Aborted);
                    if (next is null)
                    {
                        ctx.Result.Warn(Name, "compare-no-next", $"Revision {anchor.Id} is the latest revision of \"{title.PrefixedText}\": there is no next revision to compare to.");
                    }

                    to = next is null ? new SideValue(anchor.Text, null, title) : new SideValue(next.Text, next, title);
                    toNamed = next;
                    break;
                }

                default:
                {
                    var current = await PageReads.LatestRevisionOfPageAsync(db, anchor, ctx.Aborted);
                    to = new SideValue(current.Text, current, title);
                    toNamed = current;
                    break;
                }
            }
        }
        else
        {
            (to, toNamed) = await SideAsync(ctx, db, "to");
        }

        var body = TableDiff.Render(from.Text, to.Text);
        var result = new JsonObject();
        await SetValsAsync(ctx, db, result, "from", from.Revision is null ? null : fromNamed, props);
        await SetValsAsync(ctx, db, result, "to", to.Revision is null ? null : toNamed, props);
        if (props.Contains("rel"))
        {
            if (from.Revision is { ParentId: > 0 } f)
            {
                result["prev"] = f.ParentId;
            }

            if (to.Revision is { } t && await PageReads.NextRevisionAsync(db, t, ctx.Aborted) is { } after)
            {
                result["next"] = after.Id;
            }
        }

        if (props.Contains("diffsize"))
        {
            result["diffsize"] = System.Text.Encoding.UTF8.GetByteCount(body);
        }

        if (props.Contains("diff"))
        {
            result[ctx.Result.ContentKeyOf("body")] = body;
        }

        ctx.Result.Data["compare"] = result;
    }

    private IReadOnlyList<string>? Slots(ApiContext ctx, string name) => ctx.Request.Peek(name) is null ? null : GetMulti(ctx, name);

    /// <summary>
    /// ApiComparePages::getDiffRevision: the text of one side (a revision, a page's latest revision, or the
    /// supplied text) and the revision named, if any.
    /// </summary>
    private async Task<(SideValue Side, Revision? Named)> SideAsync(ApiContext ctx, WikiDbContext db, string side)
    {
        RequireMaxOne((side + "title", GetString(ctx, side + "title")), (side + "id", GetInt(ctx, side + "id")), (side + "rev", GetInt(ctx, side + "rev")));
        RequireMaxOne((side + "text", GetString(ctx, side + "text")), (side + "slots", Slots(ctx, side + "slots")));
        var text = GetString(ctx, side + "text");
        var supplied = text is not null || Slots(ctx, side + "slots") is not null;
        if (Slots(ctx, side + "slots") is not null && text is null)
        {
            throw new ApiError("compare-maintextrequired", $"Parameter \"{side}text-main\" is required when using \"{side}slots=main\" (cannot delete the main slot).");
        }

        var wikiId = ctx.Wiki.Id;
        Title? title = null;
        int? revId = GetInt(ctx, side + "rev");
        if (revId is null && GetString(ctx, side + "title") is { } titleText)
        {
            title = TitleParser.Parse(titleText, ctx.Wiki.Namespaces).Title ?? throw new ApiError("invalidtitle", $"Bad title \"{titleText}\".");
            var page = await PageReads.PageByTitleAsync(db, wikiId, title.Namespace, title.DbKey, ctx.Aborted);
            revId = page?.LatestRevisionId;
            if (page is null && !supplied)
            {
                throw new ApiError("missingtitle", $"The page {title.PrefixedText} doesn't exist.");
            }
        }
        else if (revId is null && GetInt(ctx, side + "id") is { } pageId)
        {
            var page = await db.Pages.AsNoTracking().FirstOrDefaultAsync(p => p.WikiId == wikiId && p.Id == pageId, ctx.Aborted)
                ?? throw new ApiError("nosuchpageid", $"There is no page with ID {pageId}.");
            revId = page.LatestRevisionId;
        }

        Revision? rev = null;
        if (revId is { } id)
        {
            rev = await PageReads.RevisionByIdAsync(db, wikiId, id, ctx.Aborted) ?? throw new ApiError("nosuchrevid", $"There is no revision with ID {id}.");
            title = await PageReads.TitleOfRevisionAsync(db, ctx.Wiki.Namespaces, rev, ctx.Aborted);
        }

        if (!supplied)
        {
            return (new SideValue(rev!.Text, rev, title), rev);
        }

        if (GetBool(ctx, side + "pst"))
        {
            text = EditText.PreSaveTransform(text!);
        }

        return (new SideValue(text!, null, title), rev);
    }

    /// <summary>ApiComparePages::setVals: one side's fields (a supplied text has none).</summary>
    private static async Task SetValsAsync(ApiContext ctx, WikiDbContext db, JsonObject o, string side, Revision? rev, HashSet<string> props)
    {
        if (rev is null)
        {
            return;
        }

        if (props.Contains("ids"))
        {
            o[side + "id"] = rev.PageId;
            o[side + "revid"] = rev.Id;
        }

        if (props.Contains("title"))
        {
            var title = await PageReads.TitleOfRevisionAsync(db, ctx.Wiki.Namespaces, rev, ctx.Aborted);
            o[side + "ns"] = title.Namespace;
            o[side + "title"] = title.PrefixedText;
        }

        if (props.Contains("size"))
        {
            o[side + "size"] = rev.Length;
        }

        if (props.Contains("timestamp"))
        {
            o[side + "timestamp"] = Timestamps.Iso(rev.Timestamp);
        }

        if (props.Contains("user"))
        {
            o[side + "user"] = rev.UserText;
            o[side + "userid"] = rev.UserId;
        }

        if (props.Contains("comment"))
        {
            o[side + "comment"] = rev.Comment;
        }

        if (props.Contains("comment") || props.Contains("parsedcomment"))
        {
            o[side + "parsedcomment"] = HtmlEscaper.Text(rev.Comment);
        }
    }
}
