using System.Text.Json.Nodes;
using CrossWiki.Server.Pages;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.ActionApi.Modules;

/// <summary>action=parse: renders a page (<c>page</c>, <c>pageid</c>, <c>oldid</c>) or given <c>text</c> to HTML.</summary>
internal sealed class ParseModule : ApiModule
{
    private static readonly string[] Props =
    [
        "text", "langlinks", "categories", "categorieshtml", "links", "templates", "images", "externallinks", "sections",
        "revid", "displaytitle", "subtitle", "headhtml", "modules", "jsconfigvars", "encodedjsconfigvars", "indicators",
        "iwlinks", "wikitext", "properties", "limitreportdata", "limitreporthtml", "parsetree", "parsewarnings", "parsewarningshtml",
    ];

    /// <summary>The props that need the rendering (and its link lookups).</summary>
    private static readonly string[] RenderedProps =
        ["text", "categories", "links", "images", "externallinks", "templates", "parsewarnings", "limitreportdata", "displaytitle", "properties", "sections"];

    public override ApiCacheMode CacheMode => ApiCacheMode.AnonPublicUserPrivate;

    public override string Name => "parse";

    public override string Description => "Parses content and returns parser output.";

    public override IReadOnlyList<ApiParam> Parameters { get; } =
    [
        new("title", ApiParamType.Title) { Help = "Title of page the text belongs to." },
        new("text", ApiParamType.Text) { Help = "Text to parse." },
        new("revid", ApiParamType.Integer) { Help = "Revision ID, for {{REVISIONID}} and similar variables." },
        new("summary") { Help = "Summary to parse." },
        new("page") { Help = "Parse the content of this page. Cannot be used together with text and title." },
        new("pageid", ApiParamType.Integer) { Help = "Parse the content of this page. Overrides page." },
        new("redirects", ApiParamType.Boolean) { Help = "If page or pageid is set to a redirect, resolve it." },
        new("oldid", ApiParamType.Integer) { Help = "Parse the content of this revision. Overrides page and pageid." },
        new("prop", ApiParamType.Enum) { Multi = true, Values = Props, Default = "text|langlinks|categories|links|templates|images|externallinks|sections|revid|displaytitle|iwlinks|properties|parsewarnings", Help = "Which pieces of information to get." },
        new("wrapoutputclass") { Default = "mw-parser-output", Help = "CSS class to use to wrap the parser output." },
        new("pst", ApiParamType.Boolean) { Help = "Do a pre-save transform on the input before parsing it." },
        new("onlypst", ApiParamType.Boolean) { Help = "Do a pre-save transform on the input, but don't parse it." },
        new("section") { Help = "Only parse the content of the section with this identifier." },
        new("sectiontitle") { Help = "New section title when section is new." },
        new("disablelimitreport", ApiParamType.Boolean) { Help = "Omit the limit report." },
        new("disableeditsection", ApiParamType.Boolean) { Help = "Omit edit section links from the parser output." },
        new("disabletoc", ApiParamType.Boolean) { Help = "Omit table of contents in output." },
        new("preview", ApiParamType.Boolean) { Help = "Parse in preview mode." },
        new("sectionpreview", ApiParamType.Boolean) { Help = "Parse in section preview mode." },
        new("useskin") { Help = "Apply the selected skin to the parser output." },
        new("contentformat", ApiParamType.Enum) { Values = ["text/x-wiki"], Help = "Content serialization format used for the input text." },
        new("contentmodel", ApiParamType.Enum) { Values = ["wikitext"], Help = "Content model of the input text." },
    ];

    public override async Task ExecuteAsync(ApiContext ctx)
    {
        var pst = GetBool(ctx, "pst");
        foreach (var name in new[] { "redirects", "disablelimitreport", "preview", "sectionpreview" })
        {
            GetBool(ctx, name);
        }

        var disableEditSection = GetBool(ctx, "disableeditsection");
        var disableToc = GetBool(ctx, "disabletoc");
        GetString(ctx, "useskin");
        GetString(ctx, "contentformat");
        GetString(ctx, "contentmodel");
        GetString(ctx, "sectiontitle");
        var wrapClass = GetString(ctx, "wrapoutputclass") ?? "mw-parser-output";
        var revIdParam = GetInt(ctx, "revid");
        var props = GetMulti(ctx, "prop").ToHashSet(StringComparer.Ordinal);
        var text = GetString(ctx, "text");
        var pageName = GetString(ctx, "page");
        var pageId = GetInt(ctx, "pageid");
        var oldId = GetInt(ctx, "oldid");
        var titleParam = GetString(ctx, "title");
        var summary = GetString(ctx, "summary");
        var section = GetString(ctx, "section");
        var onlyPst = GetBool(ctx, "onlypst");
        if (text is not null && (pageName is not null || pageId is not null || oldId is not null))
        {
            throw new ApiError("invalidparammix", "The parameters \"text\" and \"page\" can not be used together.");
        }

        Title title;
        int pageIdOut = 0;
        int? revId = null;
        if (text is null && (pageName is not null || pageId is not null || oldId is not null))
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            var wikiId = ctx.Wiki.Id;
            Storage.Page? page;
            Storage.Revision? rev;
            if (oldId is { } o)
            {
                rev = await db.Revisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == o && r.WikiId == wikiId, ctx.Aborted)
                    ?? throw new ApiError("nosuchrevid", $"There is no revision with ID {o}.");
                page = await db.Pages.AsNoTracking().FirstAsync(p => p.WikiId == wikiId && p.Id == rev.PageId, ctx.Aborted);
            }
            else
            {
                if (pageId is { } id)
                {
                    page = await db.Pages.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.WikiId == wikiId, ctx.Aborted)
                        ?? throw new ApiError("nosuchpageid", $"There is no page with ID {id}.");
                }
                else
                {
                    var parsed = TitleParser.Parse(pageName!, ctx.Wiki.Namespaces);
                    var t = parsed.Title ?? throw new ApiError("invalidtitle", $"Bad title \"{pageName}\".");
                    page = await Storage.PageReads.PageByTitleAsync(db, wikiId, t.Namespace, t.DbKey, ctx.Aborted)
                        ?? throw new ApiError("missingtitle", "The page you specified doesn't exist.");
                }

                rev = await Storage.PageReads.LatestRevisionAsync(db, page.WikiId, page.Id, page.LatestRevisionId, ctx.Aborted);
            }

            title = Title.Create(ctx.Wiki.Namespaces, page.Namespace, page.DbKey);
            pageIdOut = page.Id;
            revId = rev.Id;
            text = rev.Text;
        }
        else
        {
            var parsed = TitleParser.Parse(titleParam ?? "API", ctx.Wiki.Namespaces);
            title = parsed.Title ?? throw new ApiError("invalidtitle", $"Bad title \"{titleParam}\".");
            if (text is not null && titleParam is null && ctx.Request.Peek("contentmodel") is null)
            {
                // ApiParse: text parsed without a title is wikitext, whatever the default title's model.
                ctx.Result.Warn(Path, "parse-nocontentmodel", "No \"title\" or \"contentmodel\" was given, assuming wikitext.");
            }

            text ??= "";
        }

        if (section is not null && int.TryParse(section, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            text = Sections.Get(text, n) ?? throw new ApiError("nosuchsection", $"There is no section {section} in {title.PrefixedText}.");
        }

        var r = ctx.Result;
        var o2 = new JsonObject { ["title"] = title.PrefixedText, ["pageid"] = pageIdOut };
        ctx.Result.Data["parse"] = o2;
        if ((onlyPst || pst) && revId is null)
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            text = await Pages.Wikitext.PreSaveTransform.ApplyAsync(db, ctx.Wiki, title, new(ctx.User.Name, ctx.User.IsAnonymous),
                ctx.Services.Time.GetUtcNow(), text, ctx.Aborted);
        }

        if (onlyPst)
        {
            o2["text"] = Wrap(r, text);
            return;
        }

        if (revId is { } rid && props.Contains("revid"))
        {
            o2["revid"] = rid;
        }

        LinkHolders? rendered = null;
        bool[] linkExists = [];
        bool[] categoryExists = [];
        PageLinkSet links = PageLinkSet.Empty;
        List<(int Namespace, string DbKey)> extraLinks = [];
        bool[] extraLinkExists = [];
        Pages.Wikitext.ExpansionResult? expansion = null;
        var started = ctx.Services.Time.GetTimestamp();
        if (props.Overlaps(RenderedProps))
        {
            await using var db = await ctx.Services.Db.CreateDbContextAsync(ctx.Aborted);
            var page = new Pages.Wikitext.ExpansionPage(title, ctx.Services.Time.GetUtcNow())
            {
                PageId = pageIdOut,
                RevisionId = revId ?? revIdParam,
                RevisionUser = revId is null ? ctx.User.Name : null,
            };
            var options = new RenderOptions(Title: title, EditSections: !disableEditSection, Toc: !disableToc, WrapClass: wrapClass);
            (rendered, linkExists) = await WikiRendering.RenderAsync(db, ctx.Wiki, text, page, ctx.Aborted, ctx.Services.Files.SharedRepositoryFor(ctx.Wiki), options);
            expansion = rendered.Expansion;
            links = PageLinkSet.From(rendered, text, ctx.Wiki.Namespaces);
            if (props.Contains("links") && expansion is not null && expansion.Links.Count > 0)
            {
                extraLinks = [.. expansion.Links.Select(t => (t.Namespace, t.DbKey))];
                extraLinkExists = await Storage.LinkBatch.ExistAsync(db, ctx.Wiki.Id, extraLinks, ctx.Aborted);
            }

            if (props.Contains("categories") && links.Categories.Count > 0)
            {
                categoryExists = await Storage.LinkBatch.ExistAsync(db, ctx.Wiki.Id, [.. links.Categories.Select(c => (NamespaceTable.Category, c.Category))], ctx.Aborted);
            }
        }

        if (props.Contains("text"))
        {
            o2["text"] = Wrap(r, new LinkedHtml(rendered!, linkExists).ToJsonValue());
        }

        if (summary is not null)
        {
            o2["parsedsummary"] = Wrap(r, System.Net.WebUtility.HtmlEncode(summary));
        }

        // ApiParse::execute's key order.
        foreach (var list in new[] { "langlinks", "categories", "links", "templates", "images", "externallinks", "sections", "parsewarnings" })
        {
            if (!props.Contains(list))
            {
                continue;
            }

            o2[list] = list switch
            {
                "categories" => Categories(r, links, categoryExists),
                "links" => new LinkList(rendered!, linkExists, links.Images, extraLinks, extraLinkExists, ctx.Wiki.Namespaces, r.FormatVersion).ToJsonValue(),
                "images" => new JsonArray([.. links.Images.Select(i => (JsonNode)i)]),
                "externallinks" => new JsonArray([.. links.ExternalLinks.Select(u => (JsonNode)u)]),
                "templates" => Templates(r, expansion),
                "parsewarnings" => new JsonArray([.. (expansion?.Warnings ?? []).Select(w => (JsonNode)w)]),
                "sections" => SectionList(rendered!, text, title),
                _ => new JsonArray(),
            };
        }

        if (props.Contains("displaytitle"))
        {
            o2["displaytitle"] = expansion?.DisplayTitle ?? DisplayTitleHtml(title);
        }

        if (props.Contains("iwlinks"))
        {
            o2["iwlinks"] = new JsonArray();
        }

        if (props.Contains("wikitext"))
        {
            o2["wikitext"] = Wrap(r, text);
        }

        if (props.Contains("properties"))
        {
            o2["properties"] = Properties(r, links.Properties);
        }

        if (props.Contains("limitreportdata") && expansion is not null)
        {
            var seconds = ctx.Services.Time.GetElapsedTime(started).TotalSeconds;
            o2["limitreportdata"] = LimitReport(expansion.Limits, seconds);
        }
    }

    /// <summary>ParserOutput's default display title: the title's parts in MediaWiki 1.39's spans.</summary>
    private static string DisplayTitleHtml(Title title)
    {
        var main = "<span class=\"mw-page-title-main\">" + System.Net.WebUtility.HtmlEncode(title.Text) + "</span>";
        return title.NamespaceName.Length == 0
            ? main
            : "<span class=\"mw-page-title-namespace\">" + System.Net.WebUtility.HtmlEncode(title.NamespaceName)
                + "</span><span class=\"mw-page-title-separator\">:</span>" + main;
    }

    /// <summary>ApiParse's properties: <c>[{"name":..,"*":..}]</c> in formatversion 1, an object in 2.</summary>
    private static JsonNode Properties(ApiResult r, IReadOnlyList<(string Name, string Value)> properties)
    {
        if (r.FormatVersion == 2 && properties.Count > 0)
        {
            var o = new JsonObject();
            foreach (var (name, value) in properties)
            {
                o[name] = value;
            }

            return o;
        }

        return new JsonArray([.. properties.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["*"] = p.Value })]);
    }

    /// <summary>ApiParse::formatLinks of the templates, grouped by namespace as ParserOutput keeps them.</summary>
    private static JsonArray Templates(ApiResult r, Pages.Wikitext.ExpansionResult? expansion)
    {
        var array = new JsonArray();
        if (expansion is null)
        {
            return array;
        }

        foreach (var group in expansion.Templates.GroupBy(t => t.Title.Namespace))
        {
            foreach (var (t, exists) in group)
            {
                var entry = new JsonObject { ["ns"] = t.Namespace };
                if (r.FormatVersion == 2)
                {
                    entry["title"] = t.PrefixedText;
                    entry["exists"] = exists;
                }
                else
                {
                    if (exists)
                    {
                        entry["exists"] = "";
                    }

                    entry["*"] = t.PrefixedText;
                }

                array.Add(entry);
            }
        }

        return array;
    }

    /// <summary>Parser::makeLimitReport's data as ApiParse::formatLimitReportData writes it: <c>{"name":..,"0":value,"1":limit}</c>.</summary>
    private static JsonArray LimitReport(Pages.Wikitext.LimitReport limits, double seconds)
    {
        var time = seconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        var array = new JsonArray
        {
            new JsonObject { ["name"] = "limitreport-cputime", ["0"] = time },
            new JsonObject { ["name"] = "limitreport-walltime", ["0"] = time },
        };
        foreach (var (name, value, limit) in new (string, long, long)[]
        {
            ("limitreport-ppvisitednodes", limits.VisitedNodes, Pages.Wikitext.Preprocessor.MaxNodeCount),
            ("limitreport-postexpandincludesize", limits.PostExpandIncludeSize, Pages.Wikitext.Preprocessor.MaxIncludeSize),
            ("limitreport-templateargumentsize", limits.TemplateArgumentSize, Pages.Wikitext.Preprocessor.MaxIncludeSize),
            ("limitreport-expansiondepth", limits.HighestExpansionDepth, Pages.Wikitext.Preprocessor.MaxExpandDepth),
            ("limitreport-expensivefunctioncount", limits.ExpensiveFunctionCount, Pages.Wikitext.Preprocessor.ExpensiveFunctionLimit),
            ("limitreport-unstrip-depth", limits.UnstripDepth, 20),
            ("limitreport-unstrip-size", limits.UnstripSize, 5_000_000),
        })
        {
            array.Add(new JsonObject { ["name"] = name, ["0"] = value, ["1"] = limit });
        }

        var total = (seconds * 1000).ToString("F3", System.Globalization.CultureInfo.InvariantCulture).PadLeft(8);
        array.Add(new JsonObject { ["name"] = "limitreport-timingprofile", ["0"] = "100.00% " + total + "      1 -total" });
        return array;
    }

    /// <summary>
    /// ApiParse's sections (ParserOutput::getSections): each heading's TOC level, level, TOC line, number, index,
    /// page, byte offset in the text (null when the heading is not in the text itself) and anchor (1.39 has no linkAnchor).
    /// </summary>
    private static JsonArray SectionList(LinkHolders rendered, string text, Title title)
    {
        var offsets = Sections.Flat(text).ToList();
        var characterOffsets = CharacterOffsets(text, offsets.Select(o => o.Offset).ToList());
        var array = new JsonArray();
        for (var i = 0; i < rendered.Sections.Count; i++)
        {
            var s = rendered.Sections[i];
            array.Add(new JsonObject
            {
                ["toclevel"] = s.TocLevel,
                ["level"] = s.Level.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["line"] = s.Line,
                ["number"] = s.Number,
                ["index"] = s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["fromtitle"] = title.PrefixedDbKey,
                ["byteoffset"] = offsets.Count == rendered.Sections.Count ? characterOffsets[i] : null,
                ["anchor"] = s.Anchor,
            });
        }

        return array;
    }

    /// <summary>
    /// MediaWiki 1.39 reports a section's byteoffset counted in characters (code points), not UTF-8 bytes:
    /// each byte offset (ascending) becomes the number of code points before it, in one pass over the text.
    /// </summary>
    private static List<int> CharacterOffsets(string text, List<int> byteOffsets)
    {
        var result = new List<int>(byteOffsets.Count);
        if (byteOffsets.Count == 0)
        {
            return result;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var (at, codePoints) = (0, 0);
        foreach (var target in byteOffsets)
        {
            for (; at < target && at < bytes.Length; at++)
            {
                if ((bytes[at] & 0xC0) != 0x80)
                {
                    codePoints++;
                }
            }

            result.Add(codePoints);
        }

        return result;
    }

    /// <summary>Content values are <c>{"*": value}</c> in formatversion 1 and plain strings in 2.</summary>
    private static JsonNode Wrap(ApiResult r, string value) => Wrap(r, JsonValue.Create(value));

    private static JsonNode Wrap(ApiResult r, JsonValue value) =>
        r.FormatVersion == 2 ? value : new JsonObject { ["*"] = value };

    /// <summary>ApiParse::formatCategoryLinks: the sort key prefix, the category's key, and whether its page is missing.</summary>
    private static JsonArray Categories(ApiResult r, PageLinkSet links, bool[] exists)
    {
        var array = new JsonArray();
        for (var i = 0; i < links.Categories.Count; i++)
        {
            var (category, prefix) = links.Categories[i];
            var entry = new JsonObject { ["sortkey"] = prefix };
            if (r.FormatVersion == 2)
            {
                entry["category"] = category;
            }

            if (!exists[i])
            {
                entry["missing"] = r.FormatVersion == 2 ? true : "";
            }

            if (r.FormatVersion != 2)
            {
                entry["*"] = category;
            }

            array.Add(entry);
        }

        return array;
    }

    /// <summary>
    /// ApiParse::formatLinks of every page link, written straight into the answer (a page may have
    /// 200,000): <c>{"ns":0,"title":"Foo","exists":true}</c>, or in formatversion 1
    /// <c>{"ns":0,"exists":"","*":"Foo"}</c>; formatversion 2 always says <c>exists</c> (false for a missing page), formatversion 1 only for pages that exist.
    /// </summary>
    private sealed class LinkList(LinkHolders holders, bool[] exists, IReadOnlyList<string> images, IReadOnlyList<(int Namespace, string DbKey)> extra, bool[] extraExists, NamespaceTable namespaces, int formatVersion) : JsonFragment
    {
        public override void WriteTo(Utf8Buffer output, bool utf8)
        {
            var imageSet = images.ToHashSet(StringComparer.Ordinal);
            var entries = new List<(int Namespace, string DbKey, bool Exists)>();
            for (var i = 0; i < holders.Targets.Count; i++)
            {
                var target = holders.Targets[i];
                if (PageLinkSet.IsPageLink(target, imageSet))
                {
                    entries.Add((target.Namespace, target.DbKey, exists[i]));
                }
            }

            // Links the expansion recorded (#ifexist targets) that the rendering did not link.
            var seen = entries.Select(e => (e.Namespace, e.DbKey)).ToHashSet();
            for (var i = 0; i < extra.Count; i++)
            {
                if (seen.Add(extra[i]))
                {
                    entries.Add((extra[i].Namespace, extra[i].DbKey, i < extraExists.Length && extraExists[i]));
                }
            }

            output.Write((byte)'[');
            var first = true;
            foreach (var (ns, dbKey, exists) in entries)
            {
                if (!first)
                {
                    output.Write((byte)',');
                }

                first = false;
                output.WriteAscii("{\"ns\":");
                output.WriteFormatted(ns);
                var title = Title.Create(namespaces, ns, dbKey).PrefixedText;
                if (formatVersion == 2)
                {
                    output.WriteAscii(",\"title\":");
                    JsonPrinter.WriteString(output, title, utf8);
                    output.WriteAscii(exists ? ",\"exists\":true}" : ",\"exists\":false}");
                }
                else
                {
                    output.WriteAscii(exists ? ",\"exists\":\"\",\"*\":" : ",\"*\":");
                    JsonPrinter.WriteString(output, title, utf8);
                    output.Write((byte)'}');
                }
            }

            output.Write((byte)']');
        }
    }

    /// <summary>The rendering, its links filled in as it is written into the answer.</summary>
    private sealed class LinkedHtml(LinkHolders holders, bool[] exists) : JsonText
    {
        public override void WriteTo<TSink>(ref TSink sink) => holders.WriteTo(ref sink, exists);
    }
}
