using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Web;

public sealed partial class WikiWebTests
{
    public static TheoryData<string, string?, HttpStatusCode> NotAForm => new()
    {
        { "/w/index.php?title=Special:UserLogin", null, HttpStatusCode.UnsupportedMediaType },
        { "/w/index.php?title=Special:UserLogin", "text/plain", HttpStatusCode.UnsupportedMediaType },
        { "/w/index.php?title=Special:UserLogout", "application/json", HttpStatusCode.UnsupportedMediaType },
        { "/w/index.php?title=Special:Preferences", "text/plain", HttpStatusCode.UnsupportedMediaType },
        { "/w/index.php?title=Special:CreateAccount", "application/xml", HttpStatusCode.UnsupportedMediaType },
        { "/w/index.php?title=Form_page&action=submit", "application/json", HttpStatusCode.UnsupportedMediaType },
        { "/w/index.php?title=Special:UserLogin", "multipart/form-data", HttpStatusCode.BadRequest },
        { "/w/index.php?title=Form_page&action=submit", "multipart/form-data; boundary=xyz", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(NotAForm))]
    public async Task FormPost_BodyNotAReadableForm_AnswersAMessagePageNotA500(string path, string? contentType, HttpStatusCode expected)
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = farm.Client();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"wpName\": \"x\"}"));
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.Http.PostAsync(farm.AlphaServer + path, content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains(expected == HttpStatusCode.BadRequest ? "The form could not be read" : "This page takes a form", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadPost_MultipartBodyCutShort_Answers400FormPage()
    {
        await using var farm = await TestFarm.StartAsync();
        using var client = await FormUploaderAsync(farm, "CutShort");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"wpDestFile\"\r\n\r\nA.png"));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        using var response = await client.Http.PostAsync(farm.AlphaServer + "/wiki/Special:Upload", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The form could not be read", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.test")]
    [InlineData("/evil.test/x")]
    [InlineData("http://evil.test/")]
    public async Task LoginForm_ReturntoThatLooksLikeAnotherHost_RedirectsToAnAbsoluteUrlOnTheWiki(string returnTo)
    {
        await using var farm = await TestFarm.StartAsync(configure: s => s["Farm:Wikis:alpha:ArticlePath"] = "/$1");
        await farm.CreateUserAsync("Returner", "returner-password");
        using var client = farm.Client();

        var response = await PostLoginFormAsync(farm, client, "Returner", "returner-password", returnTo);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.True(location.IsAbsoluteUri, location.OriginalString);
        Assert.Equal(new Uri(farm.AlphaServer).Authority, location.Authority);
    }

    [Fact]
    public async Task ArticleView_LoggedIn_IsPrivateAndVariesByCookie()
    {
        await using var farm = await TestFarm.StartAsync();
        await farm.CreateUserAsync("Cached", "cached-password");
        using var client = farm.Client();
        await LoginThroughFormAsync(farm, client, "Cached", "cached-password");

        var page = await GetAsync(client, farm.AlphaServer + "/wiki/Main_Page");

        Assert.Contains("Cached", page.Body, StringComparison.Ordinal);
        Assert.Equal("private, must-revalidate, max-age=0", string.Join(", ", page.Response.Headers.NonValidated["Cache-Control"]));
        Assert.Equal(["Accept-Encoding", "Cookie"], page.Response.Headers.Vary);
    }
}
