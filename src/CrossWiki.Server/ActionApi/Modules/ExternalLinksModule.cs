using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// prop=extlinks (ApiQueryExternalLinks): the external links of each page of the set, in page order and
/// then in the order the page has them; <c>elcontinue</c> is an offset, as on MediaWiki.
/// </summary>
internal sealed class ExternalLinksModule : QuerySubmodule
{
    /// <summary>MediaWiki's <c>$wgUrlProtocols</c> without the separators; "" is any protocol.</summary>
    private static readonly string[] Protocols =
    [
        "", "bitcoin", "ftp", "ftps", "geo", "git", "gopher", "http", "https", "irc", "ircs", "magnet", "mailto", "matrix", "mms",
        "news", "nntp", "redis", "sftp", "sip", "sips", "sms", "ssh", "svn", "tel", "telnet", "urn", "worldwind", "xmpp",
    ];

    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "extlinks";

    public override string Group => "prop";

    protected override string ModulePrefix => "el";

    public override string Description => "Returns all external URLs (not interwikis) from the given pages.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("limit", ApiParamType.Limit) { Default = "10", Min = 1, Max = 500, HighMax = 5000, Help = "How many links to return." },
        new("continue", ApiParamType.Integer) { Help = "When more results are available, use this to continue." },
        new("protocol", ApiParamType.Enum) { Values = Protocols, Default = "", Help = "Protocol of the URL. If empty and elquery is set, the protocol is http and https." },
        new("query") { Help = "Search string without protocol. Useful for checking whether a certain page contains a certain external url." },
        new("expandurl", ApiParamType.Boolean) { Help = "Expand protocol-relative URLs with the canonical protocol." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var limit = GetInt(ctx, "limit") ?? 10;
        var offset = GetInt(ctx, "continue") ?? 0;
        var protocol = GetString(ctx, "protocol") ?? "";
        var query = GetString(ctx, "query");
        if (GetBool(ctx, "expandurl"))
        {
            ctx.Result.Deprecate(Path, "deprecation", $"The parameter \"{Prefix}expandurl\" has been deprecated.");
        }

        var ids = state.Pages.Existing.Select(e => e.Page!.Id).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var links = db.ExternalLinks.AsNoTracking().Where(l => l.WikiId == wikiId && ids.Contains(l.FromId));
        var prefixes = UrlPrefixes(protocol, query);
        if (prefixes.Count > 0)
        {
            var (first, second) = (prefixes[0], prefixes[^1]);
            links = links.Where(l => l.Url.StartsWith(first) || l.Url.StartsWith(second));
        }

        var rows = await links.OrderBy(l => l.FromId).ThenBy(l => l.Index).Skip(offset).Take(limit + 1)
            .Select(l => new { l.FromId, l.Url }).ToListAsync(ctx.Aborted);
        if (rows.Count > limit)
        {
            ContinueTarget(state)[Prefix + "continue"] = offset + limit;
            rows.RemoveAt(limit);
        }

        var pages = state.Pages.Existing.ToDictionary(e => e.Page!.Id);
        var contentKey = ctx.Result.ContentKeyOf("url");
        foreach (var group in rows.GroupBy(l => l.FromId))
        {
            pages[group.Key].Output[Name] = new JsonArray([.. group.Select(l => (JsonNode)new JsonObject { [contentKey] = l.Url })]);
        }
    }

    /// <summary>
    /// The beginnings a listed URL must have: none for any link; the protocol's (<c>https://</c>,
    /// <c>mailto:</c>); with a query, the protocol's followed by it, http and https when no protocol is given.
    /// </summary>
    private static List<string> UrlPrefixes(string protocol, string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return protocol.Length == 0 ? [] : [Separator(protocol)];
        }

        return protocol.Length == 0 ? [Separator("http") + query, Separator("https") + query] : [Separator(protocol) + query];
    }

    private static string Separator(string protocol) =>
        protocol is "mailto" or "news" or "bitcoin" or "geo" or "magnet" or "sip" or "sips" or "sms" or "tel" or "urn" or "xmpp"
            ? protocol + ":"
            : protocol + "://";
}
