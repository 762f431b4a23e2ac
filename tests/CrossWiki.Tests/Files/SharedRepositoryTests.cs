using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Files;

/// <summary>
/// A farm whose beta wiki is the shared repository (Farm:SharedRepository), as Commons is Wikipedia's: alpha
/// shows beta's files where it has none of that name, says they are "shared", and names beta as the upload target.
/// </summary>
public sealed class SharedRepositoryTests : IAsyncLifetime
{
    private TestFarm _farm = null!;

    public async Task InitializeAsync() => _farm = await TestFarm.StartAsync(settings => settings["Farm:SharedRepository"] = "beta");

    public async Task DisposeAsync() => await _farm.DisposeAsync();

    private async Task<string> UploadToBetaAsync(string name, byte[] png)
    {
        var (client, _) = await TestUsers.LoggedInAsync(_farm, "Sharer", _farm.BetaApi);
        using var _1 = client;
        var token = await client.CsrfTokenAsync();
        var answer = await client.PostFileAsync("file", name, png, ("action", "upload"), ("format", "json"), ("formatversion", "2"), ("filename", name), ("token", token));
        Assert.True(answer.Json["upload"]?["result"]?.GetValue<string>() == "Success", answer.Body);
        return answer.Json["upload"]!["imageinfo"]!["url"]!.GetValue<string>();
    }

    [Fact]
    public async Task ImageInfo_FileOfTheSharedWiki_IsSharedWithItsUrlsAndDescriptionThere()
    {
        var url = await UploadToBetaAsync("Shared photo.png", TestImages.Png(40, 20, seed: 3));

        var info = JsonNode.Parse(await _farm.QueryAsync(("prop", "imageinfo"), ("titles", "File:Shared photo.png"), ("iiprop", "url|size"), ("iiurlwidth", "10"), ("formatversion", "2")))!["query"]!["pages"]![0]!;

        Assert.Equal("shared", info["imagerepository"]!.GetValue<string>());
        var image = info["imageinfo"]![0]!;
        Assert.Equal(url, image["url"]!.GetValue<string>());
        Assert.StartsWith(_farm.BetaServer + "/w/images/thumb/", image["thumburl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(_farm.BetaServer + "/wiki/File:Shared_photo.png", image["descriptionurl"]!.GetValue<string>());
        Assert.Null(image["descriptionshorturl"]);
    }

    [Fact]
    public async Task Parse_EmbedOfASharedFile_ShowsItFromTheSharedWiki()
    {
        await UploadToBetaAsync("Shared drawing.png", TestImages.Png(40, 30, seed: 4));
        using var client = _farm.Client();

        var html = (await client.PostAsync(("action", "parse"), ("text", "[[File:Shared drawing.png|thumb|20px|From beta]]"), ("contentmodel", "wikitext"), ("format", "json"), ("formatversion", "2")))
            .Json["parse"]!["text"]!.GetValue<string>();

        Assert.Contains($"src=\"{_farm.BetaServer}/w/images/thumb/", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/wiki/File:Shared_drawing.png\" class=\"image\">", html, StringComparison.Ordinal);
        Assert.Contains("width=\"20\" height=\"15\" class=\"thumbimage\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestMediaLinks_PageUsingASharedFile_DescribesItFromTheSharedWiki()
    {
        var url = await UploadToBetaAsync("Shared small.png", TestImages.Png(40, 30, seed: 5));
        using var client = _farm.Client();
        await client.PostAsync(("action", "edit"), ("title", "Uses shared file"), ("text", "[[File:Shared small.png]]"), ("token", "+\\"), ("format", "json"));

        var file = (await client.Http.GetFromJsonAsync<JsonObject>(_farm.AlphaServer + "/w/rest.php/v1/page/Uses_shared_file/links/media"))!["files"]![0]!;

        Assert.Equal("Shared small.png", file["title"]!.GetValue<string>());
        Assert.Equal(_farm.BetaServer + "/wiki/File:Shared_small.png", file["file_description_url"]!.GetValue<string>());
        Assert.Equal(url, file["original"]!["url"]!.GetValue<string>());
        // Smaller than 800×600: the preferred rendition is the file itself, with its size.
        Assert.Equal(file["original"]!.ToJsonString(), file["preferred"]!.ToJsonString());
    }

    [Fact]
    public async Task FileRepoInfo_WithASharedRepository_ListsItAsTheUploadTarget()
    {
        var answer = JsonNode.Parse(await _farm.QueryAsync(("meta", "filerepoinfo"), ("friprop", "name|displayname|scriptDirUrl|local|canUpload"), ("formatversion", "2")))!;

        Assert.Equal(
            $$"""[{"name":"local","displayname":"Alpha Wiki","local":true,"scriptDirUrl":"{{_farm.AlphaServer}}/w","canUpload":true},{"name":"shared","displayname":"Beta Wiki","local":false,"scriptDirUrl":"{{_farm.BetaServer}}/w","canUpload":true}]""",
            answer["query"]!["repos"]!.ToJsonString());
        using var beta = _farm.Client(_farm.BetaApi);
        var onBeta = (await beta.GetAsync(("action", "query"), ("meta", "filerepoinfo"), ("friprop", "name"), ("format", "json"), ("formatversion", "2"))).Json;
        Assert.Equal("""[{"name":"local"}]""", onBeta["query"]!["repos"]!.ToJsonString());
    }
}
