using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>
/// meta=allmessages (ApiQueryAllMessages): interface messages with this wiki's values, that is the pages of
/// its MediaWiki namespace where there are some and the English defaults otherwise.
/// </summary>
internal sealed class AllMessagesModule : QuerySubmodule
{
    public override ApiCacheMode CacheMode => ApiCacheMode.Public;

    public override string Name => "allmessages";

    public override string Group => "meta";

    protected override string ModulePrefix => "am";

    public override string Description => "Return messages from this site.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("messages") { Multi = true, Default = "*", Help = "Which messages to output. * (default) means all messages." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = ["default"], Help = "Which properties to get." },
        new("enableparser", ApiParamType.Boolean) { Help = "Set to enable parser, will preprocess the wikitext of message." },
        new("nocontent", ApiParamType.Boolean) { Help = "If set, do not include the content of the messages in the output." },
        new("includelocal", ApiParamType.Boolean) { Help = "Also include local messages, i.e. messages that don't exist in the software but do exist as in the MediaWiki namespace." },
        new("args") { Multi = true, Help = "Arguments to be substituted into message." },
        new("filter") { Help = "Return only messages with names that contain this string." },
        new("customised", ApiParamType.Enum) { Values = ["all", "modified", "unmodified"], Default = "all", Help = "Return only messages in this customisation state." },
        new("lang") { Help = "Return messages in this language." },
        new("from") { Help = "Return messages starting at this message." },
        new("to") { Help = "Return messages ending at this message." },
        new("title") { Help = "Page name to use as context when parsing message (for amenableparser option)." },
        new("prefix") { Help = "Return messages with this prefix." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx, QueryState state)
    {
        var requested = GetMulti(ctx, "messages");
        var withDefault = GetMulti(ctx, "prop").Contains("default");
        var (parse, noContent, includeLocal) = (GetBool(ctx, "enableparser"), GetBool(ctx, "nocontent"), GetBool(ctx, "includelocal"));
        var args = GetMulti(ctx, "args");
        var (filter, customised) = (GetString(ctx, "filter"), GetString(ctx, "customised"));
        var (from, to, prefix) = (GetString(ctx, "from"), GetString(ctx, "to"), GetString(ctx, "prefix"));
        GetString(ctx, "lang");
        GetString(ctx, "title");

        var local = await LocalMessagesAsync(ctx);
        IEnumerable<string> names = requested.Contains("*")
            ? (includeLocal ? InterfaceMessages.Defaults.Keys.Union(local.Keys) : InterfaceMessages.Defaults.Keys).Order(StringComparer.Ordinal)
            : requested;
        if (filter is not null)
        {
            names = names.Where(n => n.Contains(filter, StringComparison.Ordinal));
        }

        names = names.Where(n => (from is null || string.CompareOrdinal(n, from) >= 0) && (to is null || string.CompareOrdinal(n, to) <= 0)
            && (prefix is null || n.StartsWith(prefix, StringComparison.Ordinal)));

        var r = ctx.Result;
        var list = new JsonArray();
        foreach (var name in names)
        {
            var key = InterfaceMessages.NormalizeKey(name);
            var o = new JsonObject { ["name"] = name, ["normalizedname"] = key };
            var isCustomised = local.TryGetValue(key, out var text);
            if (customised != "all")
            {
                if (isCustomised != (customised == "modified"))
                {
                    continue;
                }

                r.SetFlag(o, "customised", isCustomised);
            }

            var hasDefault = InterfaceMessages.Defaults.TryGetValue(key, out var fallback);
            text ??= fallback;
            if (text is null)
            {
                r.SetFlag(o, "missing", true);
                list.Add(o);
                continue;
            }

            text = InterfaceMessages.WithParameters(text, args);
            if (parse)
            {
                text = InterfaceMessages.Expand(text, ctx.Wiki.Sitename);
            }

            if (!noContent)
            {
                o[r.ContentKey] = text;
            }

            if (withDefault && isCustomised)
            {
                if (!hasDefault)
                {
                    r.SetFlag(o, "defaultmissing", true);
                }
                else if (fallback != text)
                {
                    o["default"] = fallback;
                }
            }

            list.Add(o);
        }

        state.Query[Name] = list;
    }

    /// <summary>This wiki's own messages: the latest text of each MediaWiki-namespace page without a language subpage, by message key.</summary>
    private static async Task<Dictionary<string, string>> LocalMessagesAsync(ApiContext ctx)
    {
        var wikiId = ctx.Wiki.Id;
        await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
        var pages = await (
            from p in db.Pages.AsNoTracking()
            where p.WikiId == wikiId && p.Namespace == NamespaceTable.MediaWiki
            join rev in db.Revisions.AsNoTracking() on new { p.WikiId, Id = p.LatestRevisionId } equals new { rev.WikiId, rev.Id }
            select new { p.DbKey, rev.Text }).ToListAsync(ctx.Aborted);
        return pages.Where(p => !p.DbKey.Contains('/', StringComparison.Ordinal)).ToDictionary(p => InterfaceMessages.NormalizeKey(p.DbKey), p => p.Text, StringComparer.Ordinal);
    }
}
