using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrossWiki.Server.Accounts;
using CrossWiki.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CrossWiki.BrowserTests;

/// <summary>
/// Three wikis on cross-site HTTPS origins, served by one in-process farm (<see cref="InProcessFarm"/>) on real Kestrel (loopback),
/// and Debian's Chromium with the <c>*.test</c> names mapped to 127.0.0.1 (spec browser-testing.md).
/// <list type="bullet">
/// <item>local: https://www.mediawiki.test:P1, the page the examples run from;</item>
/// <item>foreign: https://en.wikipedia.test:P2, which lists the local wiki in CrossSiteAJAXdomains;</item>
/// <item>stranger: https://www.stranger.test:P3, listed by nobody.</item>
/// </list>
/// </summary>
public sealed class BrowserFarm : IAsyncLifetime
{
    public const string Password = "browser-password-1";

    private InProcessFarm _farm = null!;
    private X509Certificate2 _certificate = null!;
    private IPlaywright _playwright = null!;
    private string _profiles = null!;

    public string Local { get; private set; } = "";

    public string Foreign { get; private set; } = "";

    public string Stranger { get; private set; } = "";

    public string ForeignApi => Foreign + "/w/api.php";

    public IBrowser Browser { get; private set; } = null!;

    internal IServiceProvider Services => _farm.Services;

    public async Task InitializeAsync()
    {
        var certificate = _certificate = CreateCertificate();
        _farm = await InProcessFarm.StartAsync("crosswiki-browser", 3, (data, ports) =>
        {
            Local = $"https://www.mediawiki.test:{ports[0]}";
            Foreign = $"https://en.wikipedia.test:{ports[1]}";
            Stranger = $"https://www.stranger.test:{ports[2]}";
            return new Dictionary<string, string?>
            {
                ["Farm:DataDirectory"] = data,

                // Wikipedia.test is the farm's shared media repository, as Commons is Wikipedia's.
                ["Farm:SharedRepository"] = "enwiki",
                ["Farm:Wikis:mediawiki:Sitename"] = "MediaWiki.test",
                ["Farm:Wikis:mediawiki:Server"] = Local,
                ["Farm:Wikis:mediawiki:CrossSiteAJAXdomains:0"] = $"en.wikipedia.test:{ports[1]}",
                ["Farm:Wikis:mediawiki:AllowCrossOrigin"] = "true",
                ["Farm:Wikis:mediawiki:RestAllowCrossOriginCookieAuth"] = "true",
                ["Farm:Wikis:mediawiki:CentralAuth"] = "true",
                ["Farm:Wikis:enwiki:Sitename"] = "Wikipedia.test",
                ["Farm:Wikis:enwiki:Server"] = Foreign,
                ["Farm:Wikis:enwiki:CrossSiteAJAXdomains:0"] = $"www.mediawiki.test:{ports[0]}",
                ["Farm:Wikis:enwiki:AllowCrossOrigin"] = "true",
                ["Farm:Wikis:enwiki:RestAllowCrossOriginCookieAuth"] = "true",
                ["Farm:Wikis:enwiki:CentralAuth"] = "true",
                ["Farm:Wikis:strangerwiki:Sitename"] = "Stranger.test",
                ["Farm:Wikis:strangerwiki:Server"] = Stranger,
            };
        }, listen: endPoint => endPoint.UseHttps(certificate));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Timeout = 60_000,
            Args = LaunchArgs,
        });
        _profiles = Directory.CreateTempSubdirectory("crosswiki-profile-").FullName;
    }

    private static readonly string[] LaunchArgs = ["--disable-gpu", "--disable-quic", "--host-resolver-rules=MAP *.test 127.0.0.1"];

    /// <summary>A fresh context with Chromium's defaults: third-party cookies blocked.</summary>
    public Task<IBrowserContext> DefaultContextAsync() => Browser.NewContextAsync(new() { IgnoreHTTPSErrors = true });

    /// <summary>
    /// A fresh profile that allows third-party cookies: the profile preference of spec
    /// browser-testing.md §8, the only switch that works in this Chromium.
    /// </summary>
    public async Task<IBrowserContext> ThirdPartyCookiesContextAsync()
    {
        var dir = Path.Combine(_profiles, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "Default"));
        await File.WriteAllTextAsync(Path.Combine(dir, "Default", "Preferences"), """{"profile":{"cookie_controls_mode":0}}""");
        return await _playwright.Chromium.LaunchPersistentContextAsync(dir, new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            IgnoreHTTPSErrors = true,
            Args = LaunchArgs,
        });
    }

    /// <summary>An HttpClient that reaches the farm's *.test names on loopback, to see what the server answered.</summary>
    public static HttpClient ServerClient() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        // The farm's own test certificate, made in InitializeAsync; nothing else is reachable from here.
#pragma warning disable CA5359
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
    });

    public async Task<string> CreateUserAsync(string prefix, params string[] groups)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..6];
        await Services.GetRequiredService<UserDirectory>().CreateOrUpdateAsync(name, Password, groups, CancellationToken.None);
        return name;
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
        await _farm.DisposeAsync();
        _certificate.Dispose();
        try
        {
            Directory.Delete(_profiles, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=CrossWiki test farm", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in new[] { "www.mediawiki.test", "en.wikipedia.test", "www.stranger.test", "localhost" })
        {
            san.AddDnsName(name);
        }

        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserSuite : ICollectionFixture<BrowserFarm>
{
    public const string Name = "browser";
}
