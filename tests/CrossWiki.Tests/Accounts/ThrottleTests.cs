using System.Diagnostics.Metrics;
using System.Net;
using CrossWiki.Server.Accounts;
using CrossWiki.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.Accounts;

/// <summary>
/// MediaWiki's <c>$wgPasswordAttemptThrottle</c> (5 in 5 minutes, 150 in 48 hours, per user name and address) and
/// <c>$wgAccountCreationThrottle</c> (6 a day per address) on api.php and index.php, with the server's clock moved
/// instead of waited for, and the password hashes checked counted to show a throttled attempt hashes nothing.
/// </summary>
public sealed class ThrottleTests : IAsyncLifetime, IDisposable
{
    private const string Throttled = "You have made too many recent login attempts.\nPlease wait 5 minutes before trying again.";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly MeterListener _listener = new();
    private TestFarm _farm = null!;
    private long _passwordChecks;

    public async Task InitializeAsync()
    {
        _farm = await TestFarm.StartAsync(
            configure: s =>
            {
                // MediaWiki's defaults, which the test farm turns off.
                (s["Farm:PasswordAttemptThrottle:0:Count"], s["Farm:PasswordAttemptThrottle:0:Seconds"]) = ("5", "300");
                (s["Farm:PasswordAttemptThrottle:1:Count"], s["Farm:PasswordAttemptThrottle:1:Seconds"]) = ("150", "172800");
                (s["Farm:AccountCreationThrottle:0:Count"], s["Farm:AccountCreationThrottle:0:Seconds"]) = ("6", "86400");
            },
            services: s => s.AddSingleton<TimeProvider>(_time));
        var meters = _farm.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "crosswiki.accounts.password_checks")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _passwordChecks, value));
        _listener.Start();
    }

    public async Task DisposeAsync() => await _farm.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    private long PasswordChecks => Interlocked.Read(ref _passwordChecks);

    private static async Task<ApiClient.Answer> LoginAsync(ApiClient client, string name, string password)
    {
        var token = (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "login"), ("format", "json"))).Json["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
        return await client.PostAsync(("action", "login"), ("lgname", name), ("lgpassword", password), ("lgtoken", token), ("format", "json"));
    }

    [Fact]
    public async Task Login_SixthAttemptInFiveMinutes_RefusedBeforeHashingEvenWithTheRightPasswordThenAllowedAfterThePeriod()
    {
        await _farm.CreateUserAsync("Guessed", "guessed-password");
        using var client = _farm.Client();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("Failed", (await LoginAsync(client, "Guessed", "wrong " + i)).Json["login"]!["result"]!.GetValue<string>());
        }

        var checks = PasswordChecks;
        var sixth = await LoginAsync(client, "Guessed", "guessed-password");

        Assert.Equal("Failed", sixth.Json["login"]!["result"]!.GetValue<string>());
        Assert.Equal(Throttled, sixth.Json["login"]!["reason"]!.GetValue<string>());
        Assert.Equal(checks, PasswordChecks);

        _time.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal("Success", (await LoginAsync(client, "Guessed", "guessed-password")).Json["login"]!["result"]!.GetValue<string>());
        Assert.Equal(checks + 1, PasswordChecks);
    }

    [Fact]
    public async Task Login_Success_StartsTheCountAgain()
    {
        await _farm.CreateUserAsync("Forgetful", "forgetful-password");
        using var client = _farm.Client();
        for (var i = 0; i < 4; i++)
        {
            await LoginAsync(client, "Forgetful", "wrong " + i);
        }

        Assert.Equal("Success", (await LoginAsync(client, "Forgetful", "forgetful-password")).Json["login"]!["result"]!.GetValue<string>());
        using var other = _farm.Client();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LoginModuleWrongPassword, (await LoginAsync(other, "Forgetful", "again " + i)).Json["login"]!["reason"]!.GetValue<string>());
        }
    }

    private const string LoginModuleWrongPassword = "Incorrect username or password entered.\nPlease try again.";

    [Fact]
    public async Task ClientLoginAndLoginForm_PastTheLimit_SayLoginThrottled()
    {
        await _farm.CreateUserAsync("Formed", "formed-password");
        using var client = _farm.Client();
        for (var i = 0; i < 5; i++)
        {
            await LoginAsync(client, "Formed", "wrong " + i);
        }

        var token = (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "login"), ("format", "json"))).Json["query"]!["tokens"]!["logintoken"]!.GetValue<string>();
        var clientLogin = await client.PostAsync(("action", "clientlogin"), ("username", "Formed"), ("password", "formed-password"),
            ("loginreturnurl", "http://example.org/"), ("logintoken", token), ("format", "json"), ("formatversion", "2"));
        Assert.Equal($$$"""{"clientlogin":{"status":"FAIL","message":{{{System.Text.Json.JsonSerializer.Serialize(Throttled)}}},"messagecode":"login-throttled","canpreservestate":false}}""", clientLogin.Body);

        var form = await client.Http.GetStringAsync(_farm.AlphaServer + "/wiki/Special:UserLogin");
        var loginToken = System.Text.RegularExpressions.Regex.Match(form, "name=\"wpLoginToken\" value=\"([^\"]*)\"").Groups[1].Value;
        using var posted = await client.Http.PostAsync(_farm.AlphaServer + "/w/index.php?title=Special:UserLogin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["wpName"] = "Formed", ["wpPassword"] = "formed-password", ["wpLoginToken"] = WebUtility.HtmlDecode(loginToken),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Contains("You have made too many recent login attempts.", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAccount_SeventhFromOneAddressInADay_AcctCreationThrottleHitButNotForASysop()
    {
        using var visitor = _farm.Client();
        async Task<ApiClient.Answer> CreateAsync(ApiClient client, string name)
        {
            var token = (await client.GetAsync(("action", "query"), ("meta", "tokens"), ("type", "createaccount"), ("format", "json"))).Json["query"]!["tokens"]!["createaccounttoken"]!.GetValue<string>();
            return await client.PostAsync(("action", "createaccount"), ("username", name), ("password", "battery staple horse"), ("retype", "battery staple horse"),
                ("createreturnurl", "http://example.org/"), ("createtoken", token), ("format", "json"), ("formatversion", "2"));
        }

        for (var i = 1; i <= 6; i++)
        {
            using var fresh = _farm.Client();
            var created = await CreateAsync(fresh, "Sockpuppet " + i);
            Assert.True(created.Json["createaccount"]!["status"]!.GetValue<string>() == "PASS", created.Body);
        }

        var seventh = (await CreateAsync(visitor, "Sockpuppet 7")).Json["createaccount"]!;
        Assert.Equal("FAIL", seventh["status"]!.GetValue<string>());
        Assert.Equal("acct_creation_throttle_hit", seventh["messagecode"]!.GetValue<string>());
        Assert.StartsWith("Visitors to this wiki using your IP address have created 6 accounts in the last 1 day,", seventh["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var (sysop, _) = await TestUsers.LoggedInAsync(_farm, "Throttlesysop", null, "sysop");
        using var _ = sysop;
        var bySysop = await CreateAsync(sysop, "Sockpuppet 8");
        Assert.True(bySysop.Json["createaccount"]!["status"]!.GetValue<string>() == "PASS", bySysop.Body);
    }

    [Fact]
    public async Task Throttler_RulesInTurn_RefusedAttemptsAreNotCountedAndEachRuleEndsWithItsPeriod()
    {
        var farm = new CrossWiki.Server.Farm.FarmConfig("data", []) { PasswordAttemptThrottle = [new(2, 60), new(3, 3600)] };
        var throttler = new Throttler(new MemoryThrottleCounters(_time), farm);

        Assert.Null(await throttler.PasswordAttemptAsync("A", "10.0.0.1", default));
        Assert.Null(await throttler.PasswordAttemptAsync("A", "10.0.0.1", default));
        Assert.Equal(new ThrottleRule(2, 60), await throttler.PasswordAttemptAsync("A", "10.0.0.1", default));
        Assert.Null(await throttler.PasswordAttemptAsync("A", "10.0.0.2", default));
        Assert.Null(await throttler.PasswordAttemptAsync("B", "10.0.0.1", default));

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(await throttler.PasswordAttemptAsync("A", "10.0.0.1", default));
        Assert.Equal(new ThrottleRule(3, 3600), await throttler.PasswordAttemptAsync("A", "10.0.0.1", default));
        Assert.Equal("1 hour", Throttler.Duration(new ThrottleRule(3, 3600)));
        Assert.Equal("2 days", Throttler.Duration(ThrottleRule.PasswordAttemptDefault[1]));
    }
}
