using System.Text;
using System.Text.Json.Nodes;
using CrossWiki.Server.ActionApi;

namespace CrossWiki.Tests.ActionApi;

/// <summary>The api.php JSON printer: a string written in pieces as it is printed reads the same as the whole string.</summary>
public sealed class JsonPrinterTests
{
    // Quotes, backslashes, controls, non-ASCII, an astral character, U+2028: every escape the printer knows.
    private const string Piece = "<a href=\"/wiki/Été\">C:\\x</a>\n\t\u0001 \U0001F600 \u2028 ";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Write_TextInPiecesBiggerThanSeveralSegments_SameBytesAsTheWholeString(bool utf8)
    {
        var pieces = Enumerable.Repeat(Piece, 20_000).ToArray();
        var whole = string.Concat(pieces);
        var expected = JsonPrinter.Write(new JsonObject { ["text"] = whole, ["n"] = 1 }, utf8);

        using var buffer = new Utf8Buffer();
        JsonPrinter.Write(buffer, new JsonObject { ["text"] = new Pieces(pieces).ToJsonValue(), ["n"] = 1 }, utf8);
        using var sent = new MemoryStream();
        await buffer.CopyToAsync(sent, CancellationToken.None);

        Assert.True(buffer.Length > 4 * 128 * 1024);
        Assert.Equal(buffer.Length, sent.Length);
        Assert.Equal(expected, Encoding.UTF8.GetString(sent.ToArray()));
        Assert.Equal(expected, buffer.GetString());
        Assert.Equal(whole, JsonNode.Parse(expected)!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Write_SmallAnswer_OneSegmentReadsBack()
    {
        using var buffer = new Utf8Buffer();
        JsonPrinter.Write(buffer, new JsonObject { ["a"] = new JsonArray(1, "b", true) }, utf8: true);

        Assert.Equal("""{"a":[1,"b",true]}""", buffer.GetString());
    }

    private sealed class Pieces(string[] pieces) : JsonText
    {
        public override void WriteTo<TSink>(ref TSink sink)
        {
            foreach (var piece in pieces)
            {
                sink.Write(piece);
            }
        }
    }
}
