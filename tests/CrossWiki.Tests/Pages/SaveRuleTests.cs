using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CrossWiki.Tests.Infrastructure;

namespace CrossWiki.Tests.Pages;

/// <summary>
/// api.php, rest.php and the index.php edit form save through one editor: the same conflict rule
/// (an old base conflicts unless every later revision is the same user's) and the same size limit,
/// each answered in its protocol's words.
/// </summary>
public sealed partial class SaveRuleTests(FarmFixture fixture) : IClassFixture<FarmFixture>
{
    private static int _page;

    private TestFarm Farm => fixture.Farm;

    public enum Situation
    {
        /// <summary>Another user saved after the edit's base.</summary>
        OtherUserSavedSince,

        /// <summary>Only the editing user saved after the edit's base.</summary>
        SameUserSavedSince,

        /// <summary>The edit is on the latest revision but its text is over 2048 KiB.</summary>
        OverTheSizeLimit,

        /// <summary>The edit of the user's own JSON page is on the latest revision but its text is not JSON.</summary>
        InvalidJson,
    }

    public static TheoryData<string, Situation, string, bool> Rules => new()
    {
        { "api.php", Situation.OtherUserSavedSince, "editconflict: Edit conflict.", false },
        { "rest.php", Situation.OtherUserSavedSince, "409: Edit conflict.", false },
        { "index.php", Situation.OtherUserSavedSince, "409: edit-conflict", false },
        { "api.php", Situation.SameUserSavedSince, "Success", true },
        { "rest.php", Situation.SameUserSavedSince, "200", true },
        { "index.php", Situation.SameUserSavedSince, "302", true },
        { "api.php", Situation.OverTheSizeLimit, "contenttoobig: The content you supplied exceeds the article size limit of 2048 kibibytes.", false },
        { "rest.php", Situation.OverTheSizeLimit, "413: The content you supplied exceeds the article size limit of 2048 kibibytes.", false },
        { "index.php", Situation.OverTheSizeLimit, "413: Error: The text you have submitted is 2,048.001 kilobytes long, which is longer than the maximum of 2,048 kilobytes. It cannot be saved.", false },
        { "api.php", Situation.InvalidJson, "invalid-content-data: Invalid content data", false },
        { "rest.php", Situation.InvalidJson, "400: Invalid content data", false },
        { "index.php", Situation.InvalidJson, "400: Invalid content data", false },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Save_EveryFrontEnd_OneConflictRuleSizeLimitAndContentCheck(string frontEnd, Situation situation, string expected, bool saves)
    {
        var (ann, annName) = await TestUsers.LoggedInAsync(Farm, "Ruleann");
        var (ben, _) = await TestUsers.LoggedInAsync(Farm, "Ruleben");
        using var _1 = ann;
        using var _2 = ben;
        var annToken = await ann.CsrfTokenAsync();
        var benToken = await ben.CsrfTokenAsync();
        var json = situation == Situation.InvalidJson;
        var title = json ? $"User:{annName}/Save rule {Interlocked.Increment(ref _page)}.json" : $"Save rule {situation} {Interlocked.Increment(ref _page)}";
        var latestText = json ? """{"a": 1}""" : "First";
        var baseRev = await ApiSaveAsync(ann, annToken, title, latestText);
        if (situation is not (Situation.OverTheSizeLimit or Situation.InvalidJson))
        {
            latestText = situation == Situation.OtherUserSavedSince ? "Second, by Ben" : "Second, by Ann";
            await ApiSaveAsync(situation == Situation.OtherUserSavedSince ? ben : ann, situation == Situation.OtherUserSavedSince ? benToken : annToken, title, latestText);
        }

        var text = situation switch
        {
            Situation.OverTheSizeLimit => new string('a', (2 * 1024 * 1024) + 1),
            Situation.InvalidJson => """{"a": 1,}""",
            _ => "Third, by Ann",
        };
        var answer = frontEnd switch
        {
            "api.php" => await ApiEditAsync(ann, annToken, title, text, baseRev),
            "rest.php" => await RestEditAsync(ann, annToken, title, text, baseRev),
            _ => await FormEditAsync(ann, annToken, title, text, baseRev),
        };

        Assert.Equal(expected, answer);
        var raw = await ann.Http.GetStringAsync(Farm.AlphaServer + "/w/index.php?title=" + Uri.EscapeDataString(title) + "&action=raw");
        Assert.Equal(saves ? text : latestText, raw);
    }

    private static async Task<int> ApiSaveAsync(ApiClient client, string token, string title, string text)
    {
        var answer = await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("token", token), ("format", "json"));
        Assert.True(answer.Json["edit"]?["result"]?.GetValue<string>() == "Success", answer.Body);
        return answer.Json["edit"]!["newrevid"]!.GetValue<int>();
    }

    /// <summary>api.php: <c>Success</c>, or <c>code: info</c> of the error.</summary>
    private static async Task<string> ApiEditAsync(ApiClient client, string token, string title, string text, int baseRev)
    {
        var answer = await client.PostAsync(("action", "edit"), ("title", title), ("text", text), ("baserevid", baseRev.ToString(CultureInfo.InvariantCulture)),
            ("token", token), ("format", "json"));
        return answer.Json["edit"]?["result"]?.GetValue<string>()
            ?? answer.Json["error"]!["code"]!.GetValue<string>() + ": " + answer.Json["error"]!["info"]!.GetValue<string>();
    }

    /// <summary>rest.php PUT with <c>latest.id</c>: the status, and the error body's message.</summary>
    private async Task<string> RestEditAsync(ApiClient client, string token, string title, string text, int baseRev)
    {
        var body = new JsonObject { ["source"] = text, ["comment"] = "", ["latest"] = new JsonObject { ["id"] = baseRev }, ["token"] = token };
        using var request = new HttpRequestMessage(HttpMethod.Put, Farm.AlphaServer + "/w/rest.php/v1/page/" + Uri.EscapeDataString(title.Replace(' ', '_')))
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        var answer = await client.SendAsync(request);
        var status = ((int)answer.Response.StatusCode).ToString(CultureInfo.InvariantCulture);
        return answer.Response.IsSuccessStatusCode ? status : status + ": " + answer.Json["messageTranslations"]!["en"]!.GetValue<string>();
    }

    /// <summary>index.php action=submit: the status, and which message the re-shown form carries.</summary>
    private async Task<string> FormEditAsync(ApiClient client, string token, string title, string text, int baseRev)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["wpTextbox1"] = text,
            ["wpSummary"] = "",
            ["wpEditToken"] = token,
            ["baseRevId"] = baseRev.ToString(CultureInfo.InvariantCulture),
            ["wpStarttime"] = "",
        });
        var response = await client.Http.PostAsync(Farm.AlphaServer + "/w/index.php?title=" + Uri.EscapeDataString(title) + "&action=submit", content);
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            return status;
        }

        var html = await response.Content.ReadAsStringAsync();
        var error = ErrorRegex().Match(html);
        return status + ": " + (html.Contains("id=\"edit-conflict\"", StringComparison.Ordinal) ? "edit-conflict" : WebUtility.HtmlDecode(error.Groups[1].Value));
    }

    [GeneratedRegex("<p class=\"error\" id=\"edit-error\">([^<]*)</p>")]
    private static partial Regex ErrorRegex();
}
