namespace CrossWiki.Server.Farm;

/// <summary>
/// The built-in farm used without <c>--farm</c>: two wikis on localhost, each allowing the other cross-origin, and
/// CrossWiki Commons, the shared media repository both show files from and upload to (as Commons is Wikipedia's).
/// </summary>
internal static class DemoFarm
{
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Farm:DataDirectory"] = "data",
        ["Farm:SharedRepository"] = "commonswiki",
        ["Farm:Wikis:enwiki:Sitename"] = "CrossWiki English",
        ["Farm:Wikis:enwiki:Server"] = "http://localhost:8080",
        ["Farm:Wikis:enwiki:CrossSiteAJAXdomains:0"] = "localhost:8081",
        ["Farm:Wikis:enwiki:CrossSiteAJAXdomains:1"] = "localhost:8082",
        ["Farm:Wikis:enwiki:AllowCrossOrigin"] = "true",
        ["Farm:Wikis:enwiki:RestAllowCrossOriginCookieAuth"] = "true",
        ["Farm:Wikis:enwiki:CentralAuth"] = "true",
        ["Farm:Wikis:metawiki:Sitename"] = "CrossWiki Meta",
        ["Farm:Wikis:metawiki:Server"] = "http://localhost:8081",
        ["Farm:Wikis:metawiki:CrossSiteAJAXdomains:0"] = "localhost:8080",
        ["Farm:Wikis:metawiki:CrossSiteAJAXdomains:1"] = "localhost:8082",
        ["Farm:Wikis:metawiki:AllowCrossOrigin"] = "true",
        ["Farm:Wikis:metawiki:RestAllowCrossOriginCookieAuth"] = "true",
        ["Farm:Wikis:metawiki:CentralAuth"] = "true",
        ["Farm:Wikis:commonswiki:Sitename"] = "CrossWiki Commons",
        ["Farm:Wikis:commonswiki:Server"] = "http://localhost:8082",
        ["Farm:Wikis:commonswiki:CrossSiteAJAXdomains:0"] = "localhost:8080",
        ["Farm:Wikis:commonswiki:CrossSiteAJAXdomains:1"] = "localhost:8081",
        ["Farm:Wikis:commonswiki:AllowCrossOrigin"] = "true",
        ["Farm:Wikis:commonswiki:RestAllowCrossOriginCookieAuth"] = "true",
        ["Farm:Wikis:commonswiki:CentralAuth"] = "true",
    };
}
