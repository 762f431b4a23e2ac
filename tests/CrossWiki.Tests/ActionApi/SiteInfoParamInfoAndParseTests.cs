using System.Globalization;
using System.Text;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.ActionApi;

/// <summary>meta=siteinfo (general, namespaces, aliases), action=paraminfo for edit, and action=parse.</summary>
public sealed class SiteInfoParamInfoAndParseTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    /// <summary>The namespaces of a default English 1.39 wiki named "Alpha Wiki": id, local name, canonical name, subpages.</summary>
    private static readonly (int Id, string Name, string? Canonical, bool Subpages)[] Namespaces =
    [
        (-2, "Media", "Media", false), (-1, "Special", "Special", false), (0, "", null, false), (1, "Talk", "Talk", true),
        (2, "User", "User", true), (3, "User talk", "User talk", true), (4, "Alpha Wiki", "Project", true),
        (5, "Alpha Wiki talk", "Project talk", true), (6, "File", "File", false), (7, "File talk", "File talk", true),
        (8, "MediaWiki", "MediaWiki", true), (9, "MediaWiki talk", "MediaWiki talk", true), (10, "Template", "Template", true),
        (11, "Template talk", "Template talk", true), (12, "Help", "Help", true), (13, "Help talk", "Help talk", true),
        (14, "Category", "Category", false), (15, "Category talk", "Category talk", true),
    ];

    private const string General2 =
        """{"mainpage":"Main Page","base":"$S/wiki/Main_Page","sitename":"Alpha Wiki","mainpageisdomainroot":false,"logo":"//$A/w/resources/assets/change-your-logo.svg","generator":"MediaWiki 1.39.17","phpversion":"","phpsapi":"","dbtype":"sqlite","dbversion":"","imagewhitelistenabled":false,"langconversion":true,"linkconversion":true,"titleconversion":true,"linkprefixcharset":"","linkprefix":"","linktrail":"/^([a-z]+)(.*)$/sD","legaltitlechars":" %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+","invalidusernamechars":"@:>=","allunicodefixes":false,"fixarabicunicode":true,"fixmalayalamunicode":true,"case":"first-letter","lang":"en","fallback":[],"rtl":false,"fallback8bitEncoding":"windows-1252","readonly":false,"writeapi":true,"maxarticlesize":2097152,"timezone":"UTC","timeoffset":0,"articlepath":"/wiki/$1","scriptpath":"/w","script":"/w/index.php","variantarticlepath":false,"server":"$S","servername":"127.0.0.1","wikiid":"alpha","time":"$TIME","misermode":false,"uploadsenabled":false,"maxuploadsize":104857600,"minuploadchunksize":1024,"galleryoptions":{"imagesPerRow":0,"imageWidth":120,"imageHeight":120,"captionLength":true,"showBytes":true,"showDimensions":true,"mode":"traditional"},"thumblimits":{"0":120,"1":150,"2":180,"3":200,"4":250,"5":300},"imagelimits":{"0":{"width":320,"height":240},"1":{"width":640,"height":480},"2":{"width":800,"height":600},"3":{"width":1024,"height":768},"4":{"width":1280,"height":1024},"5":{"width":2560,"height":2048}},"favicon":"$S/favicon.ico","centralidlookupprovider":"local","allcentralidlookupproviders":["local"],"interwikimagic":true,"magiclinks":{"ISBN":false,"PMID":false,"RFC":false},"categorycollation":"uppercase","nofollowlinks":true,"nofollownsexceptions":[],"nofollowdomainexceptions":["mediawiki.org"],"externallinktarget":false}""";

    private const string General1 =
        """{"mainpage":"Main Page","base":"$S/wiki/Main_Page","sitename":"Alpha Wiki","logo":"//$A/w/resources/assets/change-your-logo.svg","generator":"MediaWiki 1.39.17","phpversion":"","phpsapi":"","dbtype":"sqlite","dbversion":"","langconversion":"","linkconversion":"","titleconversion":"","linkprefixcharset":"","linkprefix":"","linktrail":"/^([a-z]+)(.*)$/sD","legaltitlechars":" %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+","invalidusernamechars":"@:>=","fixarabicunicode":"","fixmalayalamunicode":"","case":"first-letter","lang":"en","fallback":[],"fallback8bitEncoding":"windows-1252","writeapi":"","maxarticlesize":2097152,"timezone":"UTC","timeoffset":0,"articlepath":"/wiki/$1","scriptpath":"/w","script":"/w/index.php","variantarticlepath":false,"server":"$S","servername":"127.0.0.1","wikiid":"alpha","time":"$TIME","maxuploadsize":104857600,"minuploadchunksize":1024,"galleryoptions":{"imagesPerRow":0,"imageWidth":120,"imageHeight":120,"captionLength":"","showBytes":"","showDimensions":"","mode":"traditional"},"thumblimits":[120,150,180,200,250,300],"imagelimits":[{"width":320,"height":240},{"width":640,"height":480},{"width":800,"height":600},{"width":1024,"height":768},{"width":1280,"height":1024},{"width":2560,"height":2048}],"favicon":"$S/favicon.ico","centralidlookupprovider":"local","allcentralidlookupproviders":["local"],"interwikimagic":"","magiclinks":[],"categorycollation":"uppercase","nofollowlinks":"","nofollownsexceptions":[],"nofollowdomainexceptions":["mediawiki.org"]}""";

    private TestFarm Farm => fixture.Farm;

    /// <summary>ApiQuerySiteinfo::appendNamespaces: formatversion 2 has every boolean and <c>name</c>; 1 drops false, prints true as "" and puts the name last as <c>*</c>.</summary>
    private static string NamespacesJson(int formatVersion)
    {
        var sb = new StringBuilder("{");
        foreach (var (id, name, canonical, subpages) in Namespaces)
        {
            var key = id.ToString(CultureInfo.InvariantCulture);
            sb.Append('"').Append(key).Append("\":{\"id\":").Append(key).Append(",\"case\":\"first-letter\"");
            if (formatVersion == 2)
            {
                sb.Append(",\"name\":\"").Append(name).Append("\",\"subpages\":").Append(subpages ? "true" : "false");
            }
            else if (subpages)
            {
                sb.Append(",\"subpages\":\"\"");
            }

            if (canonical is not null)
            {
                sb.Append(",\"canonical\":\"").Append(canonical).Append('"');
            }

            sb.Append(formatVersion == 2 ? (id == 0 ? ",\"content\":true,\"nonincludable\":false" : ",\"content\":false,\"nonincludable\":false") : (id == 0 ? ",\"content\":\"\"" : ""));
            if (id == 8)
            {
                sb.Append(",\"namespaceprotection\":\"editinterface\"");
            }

            if (formatVersion == 1)
            {
                sb.Append(",\"*\":\"").Append(name).Append('"');
            }

            sb.Append("},");
        }

        sb.Length--;
        return sb.Append('}').ToString();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task SiteInfo_GeneralNamespacesAliases_BothFormats(int formatVersion)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "query"), ("meta", "siteinfo"), ("siprop", "general|namespaces|namespacealiases"), ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        var time = answer.Json["query"]!["general"]!["time"]!.GetValue<string>();
        Expect.IsTimestamp(time);
        var aliases = formatVersion == 2 ? """[{"id":6,"alias":"Image"},{"id":7,"alias":"Image talk"}]""" : """[{"id":6,"*":"Image"},{"id":7,"*":"Image talk"}]""";
        var general = Expect.Fill(formatVersion == 2 ? General2 : General1, ("S", Farm.AlphaServer), ("A", new Uri(Farm.AlphaServer).Authority), ("TIME", time));
        Assert.Equal(
            "{\"batchcomplete\":" + (formatVersion == 2 ? "true" : "\"\"") + ",\"query\":{\"general\":" + general + ",\"namespaces\":" + NamespacesJson(formatVersion) + ",\"namespacealiases\":" + aliases + "}}",
            answer.Body);
    }

    [Fact]
    public async Task ParamInfo_Edit_ModuleHeaderAndTokenParameter()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "paraminfo"), ("modules", "edit"), ("format", "json"), ("formatversion", "2"));
        var body = answer.Body;
        Assert.StartsWith(
            Expect.Fill("""{"paraminfo":{"modules":[{"name":"edit","classname":"ApiEditPage","path":"edit","group":"action","prefix":"","source":"MediaWiki","sourcename":"MediaWiki","licensetag":"GPL-2.0-or-later","licenselink":"$S/wiki/Special:Version/License/MediaWiki","readrights":true,"writerights":true,"mustbeposted":true,"helpurls":["https://www.mediawiki.org/wiki/Special:MyLanguage/API:Edit"],"parameters":[{"index":1,"name":"title","type":"string","required":false,"multi":false},{"index":2,"name":"pageid","type":"integer","required":false,"multi":false},""",
                ("S", Farm.AlphaServer)),
            body,
            StringComparison.Ordinal);
        Assert.EndsWith(""",{"index":29,"name":"token","type":"string","required":true,"sensitive":true,"multi":false,"tokentype":"csrf"}],"templatedparameters":[]}]}}""", body, StringComparison.Ordinal);
        Assert.Contains("""{"index":19,"name":"watchlist","type":["nochange","preferences","unwatch","watch"],"required":false,"default":"preferences","multi":false}""", body, StringComparison.Ordinal);
        string[] names =
        [
            "title", "pageid", "section", "sectiontitle", "text", "summary", "tags", "minor", "notminor", "bot", "baserevid", "basetimestamp",
            "starttimestamp", "recreate", "createonly", "nocreate", "watch", "unwatch", "watchlist", "watchlistexpiry", "md5", "prependtext", "appendtext", "undo",
            "undoafter", "redirect", "contentformat", "contentmodel", "token",
        ];
        Assert.Equal(names, answer.Json["paraminfo"]!["modules"]![0]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ParamInfo_Main_ListsApiPhpsOwnParametersInMediaWikisOrder()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "paraminfo"), ("modules", "main"), ("format", "json"), ("formatversion", "2"));

        var main = answer.Json["paraminfo"]!["modules"]![0]!;
        Assert.Equal("ApiMain", main["classname"]!.GetValue<string>());
        string[] names =
        [
            "action", "format", "maxlag", "smaxage", "maxage", "assert", "assertuser", "requestid", "servedby", "curtimestamp",
            "responselanginfo", "origin", "uselang", "variant", "errorformat", "errorlang", "errorsuselocal",
        ];
        Assert.Equal(names, main["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        var actions = main["parameters"]![0]!["type"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Contains("edit", actions);
        Assert.Contains("query", actions);
        Assert.Equal("help", main["parameters"]![0]!["default"]!.GetValue<string>());
    }

    [Fact]
    public async Task ParamInfo_EditFormatVersion1_TokenFlagsAsEmptyStrings()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "paraminfo"), ("modules", "edit"), ("format", "json"));
        Assert.EndsWith(""",{"index":29,"name":"token","type":"string","required":"","sensitive":"","tokentype":"csrf"}],"templatedparameters":[]}]}}""", answer.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParamInfo_UnknownModule_Warns()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "paraminfo"), ("modules", "bogus"), ("format", "json"));
        Assert.Equal("""{"warnings":{"paraminfo":{"*":"Module \"bogus\" not found."}},"paraminfo":{"modules":[]}}""", answer.Body);
    }

    [Theory]
    [InlineData(1, """{"parse":{"title":"$T","pageid":$P,"revid":$R,"text":{"*":"$HTML"}}}""")]
    [InlineData(2, """{"parse":{"title":"$T","pageid":$P,"revid":$R,"text":"$HTML"}}""")]
    public async Task Parse_ByPage_TextUnderStarInVersion1(int formatVersion, string expected)
    {
        using var client = Farm.Client();
        await client.LoginAsync(FarmFixture.UserName, FarmFixture.Password);
        var token = await client.CsrfTokenAsync();
        var title = "Parse test page " + formatVersion;
        var edit = (await client.PostAsync(("action", "edit"), ("title", title), ("text", "Hello '''world'''"), ("token", token), ("format", "json"))).Json["edit"]!;
        var answer = await client.GetAsync(("action", "parse"), ("page", title), ("prop", "text|revid"), ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(
            Expect.Fill(expected, ("T", title), ("P", edit["pageid"]!.GetValue<int>()), ("R", edit["newrevid"]!.GetValue<int>()),
                ("HTML", "<div class=\\\"mw-parser-output\\\"><p>Hello <b>world</b>\\n</p></div>")),
            answer.Body);
    }

    [Theory]
    [InlineData(1, """{"warnings":{"parse":{"*":"No \"title\" or \"contentmodel\" was given, assuming wikitext."}},"parse":{"title":"API","pageid":0,"text":{"*":"<div class=\"mw-parser-output\"><p><i>Hi</i>\n</p></div>"}}}""")]
    [InlineData(2, """{"warnings":{"parse":{"warnings":"No \"title\" or \"contentmodel\" was given, assuming wikitext."}},"parse":{"title":"API","pageid":0,"text":"<div class=\"mw-parser-output\"><p><i>Hi</i>\n</p></div>"}}""")]
    public async Task Parse_ByText_WarnsAboutTheModel(int formatVersion, string expected)
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "parse"), ("text", "''Hi''"), ("prop", "text"), ("disablelimitreport", "1"), ("format", "json"), ("formatversion", formatVersion.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(expected, answer.Body);
    }

    [Fact]
    public async Task Parse_MissingPage_MissingTitle()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "parse"), ("page", "Parse test nowhere"), ("format", "json"));
        Assert.Equal(Expect.Error(Farm.AlphaApi, "missingtitle", "The page you specified doesn't exist."), answer.Body);
    }

    [Fact]
    public async Task Parse_Sections_ListedAsMediaWikiDoes()
    {
        using var client = Farm.Client();
        var answer = await client.GetAsync(("action", "parse"), ("title", "Sec"), ("text", "intro\n== A ==\n=== B é ===\n== ''C'' =="), ("prop", "sections"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal(
            """{"parse":{"title":"Sec","pageid":0,"sections":[{"toclevel":1,"level":"2","line":"A","number":"1","index":"1","fromtitle":"Sec","byteoffset":6,"anchor":"A"},{"toclevel":2,"level":"3","line":"B é","number":"1.1","index":"2","fromtitle":"Sec","byteoffset":14,"anchor":"B_é"},{"toclevel":1,"level":"2","line":"<i>C</i>","number":"2","index":"3","fromtitle":"Sec","byteoffset":26,"anchor":"C"}]}}""",
            answer.Body);
    }

    [Theory]
    [InlineData(false, "<div class=\"mw-parser-output\"><h2><span class=\"mw-headline\" id=\"A\">A</span><span class=\"mw-editsection\"><span class=\"mw-editsection-bracket\">[</span><a href=\"/w/index.php?title=Edit_links&amp;action=edit&amp;section=1\" title=\"Edit section: A\">edit</a><span class=\"mw-editsection-bracket\">]</span></span></h2></div>")]
    [InlineData(true, "<div class=\"mw-parser-output\"><h2><span class=\"mw-headline\" id=\"A\">A</span></h2></div>")]
    public async Task Parse_DisableEditSection_DropsTheEditLinks(bool disable, string expected)
    {
        using var client = Farm.Client();
        (string, string)[] parameters = [("action", "parse"), ("title", "Edit links"), ("text", "== A =="), ("prop", "text"), ("format", "json"), ("formatversion", "2")];
        var answer = await client.GetAsync(disable ? [.. parameters, ("disableeditsection", "1")] : parameters);
        Assert.Equal(expected, answer.Json["parse"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parse_DisableTocAndWrapClass_Apply()
    {
        using var client = Farm.Client();
        var withToc = await client.GetAsync(("action", "parse"), ("title", "T"), ("text", "__FORCETOC__\n== A =="), ("prop", "text"), ("disableeditsection", "1"), ("format", "json"), ("formatversion", "2"));
        Assert.Contains("<div id=\"toc\" class=\"toc\"", withToc.Json["parse"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var answer = await client.GetAsync(("action", "parse"), ("title", "T"), ("text", "__FORCETOC__\n== A =="), ("prop", "text"), ("disabletoc", "1"), ("disableeditsection", "1"), ("wrapoutputclass", "x"), ("format", "json"), ("formatversion", "2"));
        Assert.Equal("<div class=\"x\">\n<h2><span class=\"mw-headline\" id=\"A\">A</span></h2></div>", answer.Json["parse"]!["text"]!.GetValue<string>());
    }
}
