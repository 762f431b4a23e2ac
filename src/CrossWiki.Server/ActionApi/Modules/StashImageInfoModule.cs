using System.Text.Json.Nodes;
using CrossWiki.Server.Files;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=stashimageinfo (ApiQueryStashImageInfo): what the user's stashed files are, by file key (<c>siifilekey</c>,
/// or the older <c>siisessionkey</c>), with imageinfo's properties but the uploader's (a stashed file is the
/// user's own). Its <c>url</c> is Special:UploadStash/file/KEY, which only that user can open. Logged-in users only.
/// </summary>
internal sealed class StashImageInfoModule : QuerySubmodule
{
    /// <summary>imageinfo's properties but user, userid, comment, parsedcomment, mediatype and archivename, as MediaWiki filters them.</summary>
    private static readonly string[] Props = [.. ImageInfo.Properties.Except(["user", "userid", "comment", "parsedcomment", "mediatype", "archivename"])];

    public override ApiCacheMode CacheMode => ApiCacheMode.Private;

    public override string Name => "stashimageinfo";

    public override string Group => "prop";

    protected override string ModulePrefix => "sii";

    public override string Description => "Returns file information for stashed files.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("filekey") { Multi = true, Help = "Key that identifies a previous upload that was stashed temporarily." },
        new("sessionkey") { Multi = true, Help = "Alias for siifilekey, for backward compatibility." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Default = "timestamp|url", Help = "Which file information to get." },
        new("urlwidth", ApiParamType.Integer) { Default = "-1", Help = "If siiprop=url is set, a URL to an image scaled to this width will be returned." },
        new("urlheight", ApiParamType.Integer) { Default = "-1", Help = "Similar to siiurlwidth." },
        new("urlparam") { Default = "", Help = "A handler specific parameter string." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        if (ctx.User.IsAnonymous)
        {
            throw new ApiError("notloggedin", "The upload stash is only available to logged-in users.");
        }

        var fileKeys = GetMulti(ctx, "filekey");
        var sessionKeys = GetMulti(ctx, "sessionkey");
        RequireAtLeastOne(("filekey", fileKeys.Count > 0 ? fileKeys : null), ("sessionkey", sessionKeys.Count > 0 ? sessionKeys : null));
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        _ = GetInt(ctx, "urlwidth");
        _ = GetInt(ctx, "urlheight");
        _ = GetString(ctx, "urlparam");

        var described = new JsonArray();
        foreach (var key in fileKeys.Count > 0 ? fileKeys : sessionKeys)
        {
            if (!FileRepository.IsValidKey(key))
            {
                throw new ApiError("stashpathinvalid", $"File key of improper format or otherwise invalid: Key \"{key}\" is not in a proper format.");
            }

            var stashed = await ctx.Services.Files.GetStashedAsync(ctx.Wiki, ctx.User, key, ctx.Aborted);
            if (stashed is not { Stage: "finished" })
            {
                throw new ApiError("stashedfilenotfound", $"Could not find the file in the stash: Key \"{key}\" not found in stash.");
            }

            // A stashed file is named by its key; its URL and description URL are its Special:UploadStash address (UploadStashFile).
            var version = new FileVersion(stashed.Size, stashed.Width, stashed.Height, stashed.Mime, stashed.MediaType, stashed.Sha1, stashed.Timestamp, ctx.User.Id, ctx.User.Name, "");
            var info = ImageInfo.Describe(ctx.Wiki, key, 0, version, null, props);
            if (info.ContainsKey("url"))
            {
                var url = ctx.Wiki.Server + ctx.Wiki.ArticleUrl("Special:UploadStash/file/" + key);
                info["url"] = url;
                info["descriptionurl"] = url;
            }

            described.Add(info);
        }

        state.Query[Name] = described;
    }
}
