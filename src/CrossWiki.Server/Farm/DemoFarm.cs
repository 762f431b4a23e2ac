namespace CrossWiki.Server.Farm;

/// <summary>The built-in farm used without <c>--farm</c>: two wikis on localhost, each allowing the other cross-origin.</summary>
internal static class DemoFarm
{
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Farm:DataDirectory"] = "data",
        ["Farm:Wikis:enwiki:Sitename"] = "CrossWiki English",
        ["Farm:Wikis:enwiki:Server"] = "http://localhost:8080",
        ["Farm:Wikis:enwiki:CrossSiteAJAXdomains:0"] = "localhost:8081",
        ["Farm:Wikis:enwiki:AllowCrossOrigin"] = "true",
        ["Farm:Wikis:enwiki:RestAllowCrossOriginCookieAuth"] = "true",
        ["Farm:Wikis:enwiki:CentralAuth"] = "true",
        ["Farm:Wikis:metawiki:Sitename"] = "CrossWiki Meta",
        ["Farm:Wikis:metawiki:Server"] = "http://localhost:8081",
        ["Farm:Wikis:metawiki:CrossSiteAJAXdomains:0"] = "localhost:8080",
        ["Farm:Wikis:metawiki:AllowCrossOrigin"] = "true",
        ["Farm:Wikis:metawiki:RestAllowCrossOriginCookieAuth"] = "true",
        ["Farm:Wikis:metawiki:CentralAuth"] = "true",
    };
}
