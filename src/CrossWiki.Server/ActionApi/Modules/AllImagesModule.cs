using System.Text.Json.Nodes;
using CrossWiki.Server.Files;
using CrossWiki.Server.Pages;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// list=allimages (ApiQueryAllImages): the wiki's files, by name (or by upload time with <c>aisort=timestamp</c>),
/// each with its <c>name</c>, the properties of <c>aiprop</c> as prop=imageinfo gives them, then <c>ns</c> and
/// <c>title</c>; <c>aicontinue</c> is the next name (or <c>timestamp|name</c>). Also a generator of File pages.
/// </summary>
internal sealed class AllImagesModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "allimages";

    public override string Group => "list";

    protected override string ModulePrefix => "ai";

    public override string Description => "Enumerate all images sequentially.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("sort", ApiParamType.Enum) { Values = ["name", "timestamp"], Default = "name", Help = "Property to sort by." },
        new("dir", ApiParamType.Enum) { Values = ["ascending", "descending", "newer", "older"], Default = "ascending", Help = "The direction in which to list." },
        new("from") { Help = "The image title to start enumerating from. Can only be used with aisort=name." },
        new("to") { Help = "The image title to stop enumerating at. Can only be used with aisort=name." },
        new("continue") { Help = "When more results are available, use this to continue." },
        new("start", ApiParamType.Timestamp) { Help = "The timestamp to start enumerating from. Can only be used with aisort=timestamp." },
        new("end", ApiParamType.Timestamp) { Help = "The timestamp to end enumerating. Can only be used with aisort=timestamp." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = ImageInfo.Properties, Default = "timestamp|url", Help = "Which file information to get." },
        new("prefix") { Help = "Search for all image titles that begin with this value. Can only be used with aisort=name." },
        new("sha1") { Help = "SHA1 hash of image. Overrides aisha1base36." },
        new("mime") { Multi = true, Help = "What MIME types to search for, e.g. image/jpeg." },
        new("user", ApiParamType.User) { Help = "Only return files where the last version was uploaded by this user." },
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many images in total to return." },
    ];

    public override bool CanGenerate => true;

    public override async Task<GeneratedPages> GenerateAsync(ApiContext ctx, QueryState state) =>
        new([.. (await ReadAsync(ctx, state)).Select(f => Title.Create(ctx.Wiki.Namespaces, NamespaceTable.File, f.Name).PrefixedText)], []);

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var files = await ReadAsync(ctx, state);
        state.Query[Name] = new JsonArray([.. files.Select(file =>
        {
            var o = ImageInfo.Describe(ctx.Wiki, file.Name, 0, FileVersion.Of(file), null, props, into: new JsonObject { ["name"] = file.Name });
            o["ns"] = NamespaceTable.File;
            o["title"] = Title.Create(ctx.Wiki.Namespaces, NamespaceTable.File, file.Name).PrefixedText;
            return (JsonNode)o;
        })]);
    }

    /// <summary>This batch of files; where the next batch starts goes to the continuation.</summary>
    private async Task<List<FileRecord>> ReadAsync(ApiContext ctx, QueryState state)
    {
        var byTime = GetString(ctx, "sort") == "timestamp";
        var dir = GetString(ctx, "dir");
        var descending = dir is "descending" or "older";
        var limit = GetInt(ctx, "limit") ?? 10;
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var files = db.Files.AsNoTracking().Where(f => f.WikiId == wikiId);
        if (GetString(ctx, "sha1") is { } sha1)
        {
            var hex = sha1.ToLowerInvariant();
            files = files.Where(f => f.Sha1 == hex);
        }

        if (GetMulti(ctx, "mime") is { Count: > 0 } mimes)
        {
            files = files.Where(f => mimes.Contains(f.Mime));
        }

        if (GetString(ctx, "user") is { } user)
        {
            var name = user.Replace('_', ' ');
            files = files.Where(f => f.UserText == name);
        }

        var continuation = GetString(ctx, "continue");
#pragma warning disable CA1309 // EF Core translates string.Compare to SQL; both databases compare these keys by code point.
        if (!byTime)
        {
            if (Key(ctx, GetString(ctx, "prefix")) is { } prefix)
            {
                files = files.Where(f => f.Name.StartsWith(prefix));
            }

            if (Key(ctx, continuation ?? GetString(ctx, "from")) is { } from)
            {
                files = descending ? files.Where(f => string.Compare(f.Name, from) <= 0) : files.Where(f => string.Compare(f.Name, from) >= 0);
            }

            if (Key(ctx, GetString(ctx, "to")) is { } to)
            {
                files = descending ? files.Where(f => string.Compare(f.Name, to) >= 0) : files.Where(f => string.Compare(f.Name, to) <= 0);
            }

            files = descending ? files.OrderByDescending(f => f.Name) : files.OrderBy(f => f.Name);
        }
        else
        {
            if (GetTimestamp(ctx, "start") is { } start)
            {
                files = descending ? files.Where(f => f.Timestamp <= start) : files.Where(f => f.Timestamp >= start);
            }

            if (GetTimestamp(ctx, "end") is { } end)
            {
                files = descending ? files.Where(f => f.Timestamp >= end) : files.Where(f => f.Timestamp <= end);
            }

            if (continuation?.Split('|') is [var stamp, var after] && Timestamps.TryParse(stamp, ctx.Now, out var at))
            {
                files = descending
                    ? files.Where(f => f.Timestamp < at || (f.Timestamp == at && string.Compare(f.Name, after) <= 0))
                    : files.Where(f => f.Timestamp > at || (f.Timestamp == at && string.Compare(f.Name, after) >= 0));
            }

            files = descending ? files.OrderByDescending(f => f.Timestamp).ThenByDescending(f => f.Name) : files.OrderBy(f => f.Timestamp).ThenBy(f => f.Name);
        }
#pragma warning restore CA1309

        var rows = await files.Take(limit + 1).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            var next = rows[limit];
            ContinueTarget(state)[Prefix + "continue"] = byTime ? Timestamps.Mw(next.Timestamp) + "|" + next.Name : next.Name;
            rows.RemoveAt(limit);
        }

        return rows;
    }

    private static string? Key(ApiContext ctx, string? text) => KeyIn(ctx, "File", text);
}
