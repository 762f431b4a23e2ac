using System.Text.Json.Nodes;
using CrossWiki.Server.Files;
using CrossWiki.Server.Pages;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=imageinfo (ApiQueryImageInfo): for each title of the File namespace, <c>imagerepository</c>
/// (<c>local</c>, or empty when there is no such file) and its versions, newest first, up to <c>iilimit</c>
/// (the current one, then the old ones), each with the properties of <c>iiprop</c> (<see cref="ImageInfo"/>).
/// With <c>iiurlwidth</c> or <c>iiurlheight</c> and <c>iiprop=url</c>, the current version also gives a thumbnail's URL and size
/// (<see cref="Thumbnails"/>; made when first fetched).
/// </summary>
internal sealed class ImageInfoModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "imageinfo";

    public override string Group => "prop";

    protected override string ModulePrefix => "ii";

    public override string Description => "Returns file information and upload history.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("prop", ApiParamType.Enum) { Multi = true, Values = ImageInfo.Properties, Default = "timestamp|user", Help = "Which file information to get." },
        new("limit", ApiParamType.Limit) { Default = "1", Min = 1, Max = 500, HighMax = 5000, Help = "How many file revisions to return per file." },
        new("start", ApiParamType.Timestamp) { Help = "Timestamp to start listing from." },
        new("end", ApiParamType.Timestamp) { Help = "Timestamp to stop listing at." },
        new("urlwidth", ApiParamType.Integer) { Default = "-1", Help = "If iiprop=url is set, a URL to an image scaled to this width will be returned." },
        new("urlheight", ApiParamType.Integer) { Default = "-1", Help = "Similar to iiurlwidth." },
        new("localonly", ApiParamType.Boolean) { Help = "Look only for files in the local repository." },
        new("continue") { Help = "If the query response includes a continue value, use it here to get another page of results." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var limit = GetInt(ctx, "limit") ?? 1;
        var start = GetTimestamp(ctx, "start");
        var end = GetTimestamp(ctx, "end");
        var urlWidth = GetInt(ctx, "urlwidth") ?? -1;
        var urlHeight = GetInt(ctx, "urlheight") ?? -1;
        _ = GetBool(ctx, "localonly");
        _ = GetString(ctx, "continue");

        var entries = state.Pages.Entries.Where(e => e.Title is { Namespace: NamespaceTable.File }).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var files = ctx.Services.Files;
        var current = await files.FindAsync(ctx.Wiki, [.. entries.Select(e => e.Title!.DbKey).Distinct(StringComparer.Ordinal)], ctx.Aborted);
        foreach (var entry in entries)
        {
            var name = entry.Title!.DbKey;
            if (!current.TryGetValue(name, out var found))
            {
                entry.Output["imagerepository"] = "";
                continue;
            }

            // A file of the shared repository is described with its URLs and its own description page there.
            var (file, repository) = found;
            var local = repository == ctx.Wiki;
            entry.Output["imagerepository"] = local ? "local" : "shared";
            var versions = new JsonArray();
            var pageId = local ? entry.Page?.Id ?? 0 : 0;
            if (InRange(file.Timestamp, start, end))
            {
                versions.Add(ImageInfo.Describe(repository, name, pageId, FileVersion.Of(file), null, props, Thumbnails.For(repository, file, urlWidth, urlHeight)));
            }

            if (versions.Count < limit)
            {
                foreach (var old in await files.HistoryAsync(repository.Id, name, limit + 50, ctx.Aborted))
                {
                    if (versions.Count >= limit)
                    {
                        break;
                    }

                    if (InRange(old.Timestamp, start, end))
                    {
                        versions.Add(ImageInfo.Describe(repository, name, pageId, FileVersion.Of(old), old.ArchiveName, props));
                    }
                }
            }

            entry.Output["imageinfo"] = versions;
        }
    }

    /// <summary>Versions are listed newest first: <c>iistart</c> is the newest and <c>iiend</c> the oldest timestamp taken.</summary>
    private static bool InRange(DateTime timestamp, DateTime? start, DateTime? end) =>
        (start is null || timestamp <= start) && (end is null || timestamp >= end);
}
