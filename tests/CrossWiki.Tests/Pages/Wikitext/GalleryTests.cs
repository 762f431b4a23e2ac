using CrossWiki.Server.Pages;

namespace CrossWiki.Tests.Pages.Wikitext;

/// <summary>Core's traditional gallery (TraditionalImageGallery), with MediaWiki 1.39's HTML.</summary>
public sealed class GalleryTests
{
    private static readonly NamespaceTable Table = NamespaceTable.Create("Test Wiki");

    private static string Render(string wikitext)
    {
        LinkHolders holders = WikitextRenderer.RenderWithHolders(wikitext, Table, "/wiki/$1", "/w");
        holders.Files = new Dictionary<string, EmbeddedFile>(StringComparer.Ordinal)
        {
            ["Foo.jpg"] = new EmbeddedFile(640, 480, "/images/a/ab/Foo.jpg", (w, h) => ("/images/thumb/a/ab/Foo.jpg/120px-Foo.jpg", 120, 90)),
        };
        string html = holders.Fill([.. holders.Targets.Select(_ => true)]);
        return html["<div class=\"mw-parser-output\">".Length..^"</div>".Length];
    }

    private const string FooBox =
        "\n\t\t<li class=\"gallerybox\" style=\"width: 155px\"><div style=\"width: 155px\">\n\t\t\t<div class=\"thumb\" style=\"width: 150px;\"><div style=\"margin:30px auto;\"><a href=\"/wiki/File:Foo.jpg\" class=\"image\"><img alt=\"\" src=\"/images/thumb/a/ab/Foo.jpg/120px-Foo.jpg\" decoding=\"async\" width=\"120\" height=\"90\" /></a></div></div>\n\t\t\t<div class=\"gallerytext\">\n";

    [Fact]
    public void Gallery_FileWithCaption_IsABoxWithItsThumbnail()
    {
        Assert.Equal(
            "<ul class=\"gallery mw-gallery-traditional\">" + FooBox + "<p><i>Cap</i>\n</p>\n\t\t\t</div>\n\t\t</div></li>\n</ul>",
            Render("<gallery>\nFile:Foo.jpg|''Cap''\n</gallery>"));
    }

    [Fact]
    public void Gallery_NameWithoutNamespace_IsAFile()
    {
        Assert.Equal(
            "<ul class=\"gallery mw-gallery-traditional\">" + FooBox + "\t\t\t</div>\n\t\t</div></li>\n</ul>",
            Render("<gallery>\nFoo.jpg\n</gallery>"));
    }

    [Fact]
    public void Gallery_MissingFile_ShowsItsName()
    {
        Assert.Equal(
            "<ul class=\"gallery mw-gallery-traditional\">\n\t\t<li class=\"gallerybox\" style=\"width: 155px\"><div style=\"width: 155px\">\n\t\t\t<div class=\"thumb\" style=\"height: 150px;\">Nope.png</div>\n\t\t\t<div class=\"gallerytext\">\n<p>c\n</p>\n\t\t\t</div>\n\t\t</div></li>\n</ul>",
            Render("<gallery>\nFile:Nope.png|c\n</gallery>"));
    }

    [Fact]
    public void Gallery_Attributes_SetSizeClassAndCaption()
    {
        string html = Render("<gallery widths=\"200px\" heights=\"100\" class=\"x\" caption=\"Pics\" onclick=\"y\">\nFile:Foo.jpg\n</gallery>");
        Assert.StartsWith("<ul class=\"gallery mw-gallery-traditional x\">\n\t<li class=\"gallerycaption\">Pics</li>\n\t\t<li class=\"gallerybox\" style=\"width: 235px\">", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"thumb\" style=\"width: 230px;\"><div style=\"margin:20px auto;\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onclick", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Gallery_Files_AreImageLinks()
    {
        LinkHolders holders = WikitextRenderer.RenderWithHolders("<gallery>\nFile:Foo.jpg\nBar.png|x\nnot a file:<>\n</gallery>", Table, "/wiki/$1", "/w");
        Assert.Equal(["Foo.jpg", "Bar.png"], holders.Images);
    }

    [Fact]
    public void Gallery_AfterText_ClosesTheParagraph()
    {
        Assert.StartsWith("<p>a\n</p>\n<ul class=\"gallery", Render("a\n<gallery>\nFoo.jpg\n</gallery>"), StringComparison.Ordinal);
    }
}
