using CrossWiki.Server.Farm;
using Microsoft.Extensions.Configuration;

namespace CrossWiki.Tests.Farm;

public sealed class FarmValidatorTests
{
    private static WikiOptions Wiki(
        string server = "https://en.example.test:8443",
        string scriptPath = "/w",
        string articlePath = "/wiki/$1",
        string[]? domains = null,
        string[]? exceptions = null,
        string[]? headers = null) =>
        new()
        {
            Sitename = "Example",
            Server = server,
            ScriptPath = scriptPath,
            ArticlePath = articlePath,
            CrossSiteAJAXdomains = domains,
            CrossSiteAJAXdomainExceptions = exceptions,
            AllowedCorsHeaders = headers,
        };

    private static FarmValidation Validate(params (string Id, WikiOptions Wiki)[] wikis) =>
        FarmValidator.Validate(new FarmOptions { Wikis = wikis.ToDictionary(w => w.Id, w => w.Wiki) });

    [Fact]
    public void Validate_DesignDocumentExample_IsValid()
    {
        var result = Validate(("enwiki", Wiki(domains: ["www.example.test:8444", "*.example.org"], exceptions: ["bad.example.org"])));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var wiki = Assert.Single(result.Farm!.Wikis);
        Assert.Equal("en.example.test:8443", wiki.HostKey);
        Assert.Equal(FarmValidator.DefaultAllowedCorsHeaders, wiki.AllowedCorsHeaders);
        Assert.Equal("enwiki_session", wiki.SessionCookieName);
    }

    [Theory]
    [InlineData("commons", null)]
    [InlineData("comons", "Farm:SharedRepository: 'comons' is not a wiki of this farm (its wikis: commons, enwiki).")]
    public void Validate_SharedRepository_MustBeAWikiOfTheFarmAndServesTheOthers(string shared, string? error)
    {
        var options = new FarmOptions
        {
            Wikis = new Dictionary<string, WikiOptions> { ["enwiki"] = Wiki(), ["commons"] = Wiki(server: "https://commons.example.test") },
            SharedRepository = shared,
        };

        var result = FarmValidator.Validate(options);

        Assert.Equal(error is null ? [] : [error], result.Errors);
        if (error is null)
        {
            var farm = result.Farm!;
            Assert.Equal("commons", farm.SharedRepositoryFor(farm.Wikis.Single(w => w.Id == "enwiki"))?.Id);
            Assert.Null(farm.SharedRepositoryFor(farm.Wikis.Single(w => w.Id == "commons")));
        }
    }

    [Theory]
    [InlineData("bot", "move", null)]
    [InlineData("bots", "move", "Farm:RevokePermissions:bots: not a group (groups: *, user, autoconfirmed, bot, sysop, bureaucrat).")]
    [InlineData("user", "fly", "Farm:RevokePermissions:user: 'fly' is not a right any group has.")]
    public void Validate_RevokePermissions_KnownGroupsAndRightsOnly(string group, string right, string? error)
    {
        var options = new FarmOptions
        {
            Wikis = new Dictionary<string, WikiOptions> { ["enwiki"] = Wiki() },
            RevokePermissions = new Dictionary<string, string[]> { [group] = [right] },
        };

        var result = FarmValidator.Validate(options);

        Assert.Equal(error is null ? [] : [error], result.Errors);
        if (error is null)
        {
            Assert.Equal([right], result.Farm!.RevokePermissions[group]);
        }
    }

    [Fact]
    public void Validate_TokenSecretAndItsFile_ReadAsBytesAndRefusedWhenShortUnreadableOrBoth()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, new string('a', 64) + "\n");
            FarmValidation Check(string? secret, string? path) => FarmValidator.Validate(new FarmOptions
            {
                Wikis = new Dictionary<string, WikiOptions> { ["enwiki"] = Wiki() }, TokenSecret = secret, TokenSecretFile = path,
            });

            Assert.Null(Check(null, null).Farm!.TokenSecret);
            Assert.Equal(Convert.FromHexString(new string('a', 64)), Check(null, file).Farm!.TokenSecret);
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes("a secret of more than thirty-two characters"), Check("a secret of more than thirty-two characters", null).Farm!.TokenSecret);
            Assert.Equal(["Farm:TokenSecret: the secret must have at least 32 characters (it has 5)."], Check("short", null).Errors);
            Assert.Equal(["Farm:TokenSecretFile: give either Farm:TokenSecret or Farm:TokenSecretFile, not both."], Check(new string('b', 40), file).Errors);
            Assert.StartsWith("Farm:TokenSecretFile: '/no/such/file' cannot be read", Assert.Single(Check(null, "/no/such/file").Errors), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Several nodes with in-memory sessions and tokens would each know only their own logins.</summary>
    [Theory]
    [InlineData(null, null, true, null)]
    [InlineData(null, "redis.internal:6379", true, null)]
    [InlineData(false, "redis.internal:6379", false, null)]
    [InlineData(true, null, true, null)]
    [InlineData(false, null, false, "Farm:SingleProcess: false needs Farm:Redis, so that every node shares sessions and centralauthtokens.")]
    public void Validate_SingleProcess_DefaultsToTrueAndFalseNeedsRedis(bool? singleProcess, string? redis, bool expected, string? error)
    {
        var wikis = new Dictionary<string, WikiOptions> { ["enwiki"] = Wiki() };
        var options = singleProcess is { } value
            ? new FarmOptions { Wikis = wikis, Redis = redis, SingleProcess = value }
            : new FarmOptions { Wikis = wikis, Redis = redis };

        var result = FarmValidator.Validate(options);

        Assert.Equal(error is null ? [] : [error], result.Errors);
        Assert.Equal(error is null ? expected : null, result.Farm?.SingleProcess);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOneWithItsKeyPath()
    {
        var result = Validate(
            ("enwiki", Wiki(server: "en.example.test", domains: ["https://good.example", "ok.example", "a/b", "has space"])),
            ("Bad-Id", Wiki(server: "https://x.example.test/path", scriptPath: "w/", articlePath: "/wiki/")),
            ("dewiki", Wiki(headers: ["X-Ok", "Bad Header"])));

        Assert.Null(result.Farm);
        Assert.Equal(
        [
            "Farm:Wikis:Bad-Id: the wiki id must be lower-case letters, digits and underscores.",
            "Farm:Wikis:Bad-Id:Server: 'https://x.example.test/path' must be an http or https origin (scheme, host and optional port, no path or trailing slash).",
            "Farm:Wikis:Bad-Id:ScriptPath: 'w/' must be empty or a path starting with '/' and not ending with '/'.",
            "Farm:Wikis:Bad-Id:ArticlePath: '/wiki/' must start with '/' and contain '$1'.",
            "Farm:Wikis:dewiki:AllowedCorsHeaders:1: 'Bad Header' is not an HTTP header name.",
            "Farm:Wikis:enwiki:Server: 'en.example.test' must be an http or https origin (scheme, host and optional port, no path or trailing slash).",
            "Farm:Wikis:enwiki:CrossSiteAJAXdomains:0: 'https://good.example' contains a scheme; rules are host[:port] patterns and never match with one.",
            "Farm:Wikis:enwiki:CrossSiteAJAXdomains:2: 'a/b' contains a path or a space and can never match an origin's host[:port].",
            "Farm:Wikis:enwiki:CrossSiteAJAXdomains:3: 'has space' contains a path or a space and can never match an origin's host[:port].",
        ], result.Errors);
    }

    [Fact]
    public void Validate_TwoWikisOnOneHostAndPort_IsAnError()
    {
        var result = Validate(("a", Wiki(server: "http://localhost:8080")), ("b", Wiki(server: "http://LOCALHOST:8080")));

        Assert.Equal(["Farm:Wikis:b:Server: host and port 'localhost:8080' are already used by wiki 'a'."], result.Errors);
    }

    [Fact]
    public void Validate_NoWikis_IsAnError()
    {
        var result = FarmValidator.Validate(new FarmOptions());

        Assert.Equal(["Farm:Wikis: at least one wiki is required."], result.Errors);
    }

    [Fact]
    public void Validate_LeadingWildcardGluedToName_IsAWarningNotAnError()
    {
        var result = Validate(("enwiki", Wiki(domains: ["*wikipedia.org", "*.wikimedia.org"])));

        Assert.Empty(result.Errors);
        Assert.Equal(["Farm:Wikis:enwiki:CrossSiteAJAXdomains:0: '*wikipedia.org' also matches hosts that merely end with 'wikipedia.org' (e.g. 'evilwikipedia.org'); did you mean '*.wikipedia.org'?"], result.Warnings);
    }

    [Theory]
    [InlineData("en.example.test", 8443, "enwiki")]
    [InlineData("EN.Example.Test", 8443, "enwiki")]
    [InlineData("en.example.test", 443, null)]
    [InlineData("de.example.test", 8443, null)]
    public void ForHost_HostAndPort_SelectsTheWiki(string host, int port, string? expected)
    {
        var farm = Validate(("enwiki", Wiki())).Farm!;

        Assert.Equal(expected, farm.ForHost(host, port)?.Id);
    }

    private static FarmValidation ValidateKeys(params (string Key, string? Value)[] settings) =>
        FarmValidator.Validate(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build().GetSection("Farm"));

    [Fact]
    public void ValidateSection_MisspelledKey_IsAnErrorWithItsPathAndTheCloseName()
    {
        var result = ValidateKeys(
            ("Farm:Wikis:enwiki:Server", "https://en.example.test:8443"),
            ("Farm:Wikis:enwiki:CrossSiteAJAXdomainExeptions:0", "bad.example.org"));

        Assert.Null(result.Farm);
        Assert.Equal(["Farm:Wikis:enwiki:CrossSiteAJAXdomainExeptions: unknown key; did you mean 'CrossSiteAJAXdomainExceptions'?"], result.Errors);
    }

    [Fact]
    public void ValidateSection_UnknownKeysAndOtherErrors_AreReportedTogether()
    {
        var result = ValidateKeys(
            ("Farm:DataDirectorry", "data"),
            ("Farm:Database:Provder", "postgres"),
            ("Farm:Wikis:enwiki:Server", "ftp://en.example.test"),
            ("Farm:Wikis:enwiki:CrossSiteAJAXdomains:first", "a.example.org"),
            ("Farm:Wikis:enwiki:Colour", "blue"));

        Assert.Equal(
            [
                "Farm:DataDirectorry: unknown key; did you mean 'DataDirectory'?",
                "Farm:Database:Provder: unknown key; did you mean 'Provider'?",
                "Farm:Wikis:enwiki:Colour: unknown key; the keys known here are AllowCrossOrigin, AllowedCorsHeaders, ArticlePath, CentralAuth, "
                    + "CentralAuthTokenLifetime, CorsPreflightMaxAge, CrossSiteAJAXdomainExceptions, CrossSiteAJAXdomains, RestAllowCrossOriginCookieAuth, "
                    + "ScriptPath, Server, Sitename.",
                "Farm:Wikis:enwiki:CrossSiteAJAXdomains:first: unknown key; the items of CrossSiteAJAXdomains are numbered 0, 1, 2, ...",
            ],
            result.Errors.Where(e => e.Contains("unknown key", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.True(result.Errors.Any(e => e.StartsWith("Farm:Wikis:enwiki:Server: 'ftp://", StringComparison.Ordinal)), string.Join("\n", result.Errors));
    }

    [Fact]
    public void ValidateSection_DesignDocumentFarmFile_HasNoUnknownKeys()
    {
        const string Json = """
            { "Farm": { "DataDirectory": "data",
                        "Database": { "Provider": "sqlite", "ConnectionString": null },
                        "Wikis": { "enwiki": {
                          "Sitename": "Example Wikipedia", "Server": "https://en.example.test:8443", "ScriptPath": "/w", "ArticlePath": "/wiki/$1",
                          "CrossSiteAJAXdomains": [ "www.example.test:8444", "*.example.org" ], "CrossSiteAJAXdomainExceptions": [ "bad.example.org" ],
                          "AllowedCorsHeaders": null, "AllowCrossOrigin": true, "RestAllowCrossOriginCookieAuth": true, "CentralAuth": true } } } }
            """;
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Json));

        var result = FarmValidator.Validate(new ConfigurationBuilder().AddJsonStream(stream).Build().GetSection("Farm"));

        Assert.Empty(result.Errors);
        Assert.Equal("Example Wikipedia", Assert.Single(result.Farm!.Wikis).Sitename);
    }

    [Fact]
    public void ValidateSection_DemoFarm_HasNoErrors()
    {
        var result = FarmValidator.Validate(new ConfigurationBuilder().AddInMemoryCollection(DemoFarm.Settings).Build().GetSection("Farm"));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void ValidateSection_KeysInAnotherCase_AreKnown()
    {
        // Environment variables often come in upper case (FARM__WIKIS__ENWIKI__SERVER); configuration keys ignore case.
        var result = ValidateKeys(("FARM:WIKIS:enwiki:SERVER", "https://en.example.test"), ("FARM:WIKIS:enwiki:CROSSSITEAJAXDOMAINS:0", "a.example.org"));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void ValidateSection_ValuesTheBinderCannotBind_AreErrorsWithTheirPaths()
    {
        // The binder would drop the whole wiki for either, and the farm would seem to have no wikis.
        var result = ValidateKeys(
            ("Farm:Wikis:enwiki:Server", "https://en.example.test"),
            ("Farm:Wikis:enwiki:CentralAuth", "maybe"),
            ("Farm:Wikis:enwiki:Sitename:Long", "Example"));

        Assert.Null(result.Farm);
        Assert.Equal(
            ["Farm:Wikis:enwiki:CentralAuth: 'maybe' is not true or false.", "Farm:Wikis:enwiki:Sitename:Long: unknown key; Sitename takes a single value."],
            result.Errors);
    }
}
