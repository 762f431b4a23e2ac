using System.Net;
using System.Net.Http.Json;
using CrossWiki.Server.Files;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Farm;

/// <summary>
/// A failure inside the server (a file store that is down, a clock that breaks) answers each front end's own
/// internal error, naming the exception's type and the request id, never the exception's message or a stack trace.
/// </summary>
public sealed class InternalErrorTests
{
    /// <summary>A clock that fails once armed, as a broken dependency would; its message must not reach a client.</summary>
    private sealed class ArmedClock : TimeProvider
    {
        public volatile bool Armed;

        public override DateTimeOffset GetUtcNow() => Armed ? throw new InvalidOperationException("The clock broke at /secret/path.") : base.GetUtcNow();
    }

    private static void AssertNoDetails(string body)
    {
        Assert.DoesNotContain("/secret/path", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection refused", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at CrossWiki.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiUpload_FileStoreDown_InternalApiErrorWithRequestId()
    {
        await using var farm = await TestFarm.StartAsync(services: s => s.AddSingleton<IFileStore>(new UnreachableFileStore()));
        var (client, _) = await TestUsers.LoggedInAsync(farm, "Storedown");
        using var _ = client;

        var answer = await client.PostFileAsync("file", "Down.png", TestImages.Png(4, 4),
            ("action", "upload"), ("format", "json"), ("formatversion", "2"), ("filename", "Down.png"), ("token", await client.CsrfTokenAsync()));

        Assert.Equal("internal_api_error_HttpRequestException", answer.Json["error"]?["code"]?.GetValue<string>());
        Assert.Matches(@"^\[[^\]]+\] Caught exception of type System\.Net\.Http\.HttpRequestException$", answer.Json["error"]!["info"]!.GetValue<string>());
        AssertNoDetails(answer.Body);
    }

    [Fact]
    public async Task RestSave_ClockBroken_RestErrorBodyWithRequestId()
    {
        var clock = new ArmedClock();
        await using var farm = await TestFarm.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        using var http = new HttpClient();
        clock.Armed = true;

        using var response = await http.PutAsJsonAsync(farm.AlphaServer + "/w/rest.php/v1/page/Broken_clock", new { source = "text", comment = "c", token = "+\\" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Matches("""^\{"messageTranslations":\{"en":"\[[^\]]+\] Error: exception of type System\.InvalidOperationException"\},"httpCode":500,"httpReason":"Internal Server Error"\}$""", body);
        AssertNoDetails(body);
    }

    [Fact]
    public async Task PageView_ClockBroken_InternalErrorPageWithRequestId()
    {
        var clock = new ArmedClock();
        await using var farm = await TestFarm.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        using var http = new HttpClient();
        clock.Armed = true;

        using var response = await http.GetAsync(farm.AlphaServer + "/wiki/Special:RecentChanges");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("<title>Internal error - Alpha Wiki</title>", body, StringComparison.Ordinal);
        Assert.Matches(@"\[[^\]]+\] Fatal exception of type &quot;System\.InvalidOperationException&quot;", body);
        AssertNoDetails(body);
    }
}
