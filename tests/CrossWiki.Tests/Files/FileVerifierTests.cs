using System.Buffers.Binary;
using System.Text;
using CrossWiki.Server.Files;

namespace CrossWiki.Tests.Files;

/// <summary>
/// MediaWiki 1.39's upload checks (UploadBase, MimeAnalyzer, XmlTypeCheck) on tiny files built here byte by
/// byte: what each kind of content is taken for, and every refusal with its code, info text and details.
/// </summary>
public sealed class FileVerifierTests
{
    private const string Svg = "http://www.w3.org/2000/svg";

    private const string Permitted = "Permitted file types are png, gif, jpg, jpeg, webp, svg.";

    /// <summary>A real 1x1 transparent PNG.</summary>
    private static readonly byte[] OnePixelPng = Convert.FromHexString(
        "89504E470D0A1A0A0000000D4948445200000001000000010806000000" +
        "1F15C4890000000A49444154789C63000100000500010D0A2DB40000000049454E44AE426082");

    public static TheoryData<string, byte[], string, string, int, int> ValidFiles() => new()
    {
        { "Dot.png", OnePixelPng, "image/png", "BITMAP", 1, 1 },
        { "Wide.png", Png(3500, 3500), "image/png", "BITMAP", 3500, 3500 },
        { "Photo.jpg", Jpeg(640, 480), "image/jpeg", "BITMAP", 640, 480 },
        { "Photo.jpeg", Jpeg(640, 480, exif: true), "image/jpeg", "BITMAP", 640, 480 },
        { "Photo.JPG", Jpeg(1, 2, progressive: true), "image/jpeg", "BITMAP", 1, 2 },
        { "Anim.gif", Gif(10, 20), "image/gif", "BITMAP", 10, 20 },
        { "Lossy.webp", WebPLossy(300, 200), "image/webp", "BITMAP", 300, 200 },
        { "Lossless.webp", WebPLossless(400, 300), "image/webp", "BITMAP", 400, 300 },
        { "Extended.webp", WebPExtended(1000, 800), "image/webp", "BITMAP", 1000, 800 },
        { "Sized.svg", Bytes($"<svg xmlns=\"{Svg}\" width=\"100\" height=\"50\"><rect width=\"10\" height=\"10\"/></svg>"), "image/svg+xml", "DRAWING", 100, 50 },
        { "Units.svg", Bytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"{Svg}\" width=\"10mm\" height=\"1in\"/>"), "image/svg+xml", "DRAWING", 35, 90 },
        { "Box.svg", Bytes($"<svg xmlns=\"{Svg}\" viewBox=\"0 0 200 100\"/>"), "image/svg+xml", "DRAWING", 512, 256 },
        { "Half.svg", Bytes($"<svg xmlns=\"{Svg}\" width=\"300\" viewBox=\"0,0,200,100\"/>"), "image/svg+xml", "DRAWING", 300, 150 },
        { "Percent.svg", Bytes($"<svg xmlns=\"{Svg}\" width=\"50%\" height=\"25%\"/>"), "image/svg+xml", "DRAWING", 256, 128 },
        { "Bare.svg", Bytes($"<svg xmlns=\"{Svg}\"/>"), "image/svg+xml", "DRAWING", 512, 512 },
        { "NoNamespace.svg", Bytes("<svg width=\"7\" height=\"8\"></svg>"), "image/svg+xml", "DRAWING", 7, 8 },
        { "Doctype.svg", Bytes($"<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"{Svg}\" width=\"16\" height=\"16\"/>"), "image/svg+xml", "DRAWING", 16, 16 },
        { "Entity.svg", Bytes($"<!DOCTYPE svg [<!ENTITY ns_svg \"{Svg}\"><!-- Adobe -->]><svg xmlns=\"&ns_svg;\" width=\"4\" height=\"4\"/>"), "image/svg+xml", "DRAWING", 4, 4 },
        { "Safe.svg", Bytes(
            $"<svg xmlns=\"{Svg}\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" " +
            "xmlns:sodipodi=\"http://sodipodi.sourceforge.net/dtd/sodipodi-0.dtd\" width=\"20\" height=\"20\">" +
            "<sodipodi:namedview inkscape:zoom=\"1\"/><inkscape:perspective onload=\"inkscape's own attribute\"/>" +
            "<defs><linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient><style>rect { fill: url(#g); } @font-face { src:url(\"data:;base64,AAAA\") }</style></defs>" +
            "<rect fill=\"url(#g)\" style=\"stroke: url('#g')\" width=\"5\" height=\"5\"/>" +
            "<image xlink:href=\"data:image/png;base64,iVBORw0KGgo=\" width=\"1\" height=\"1\"/><use href=\"#g\"/>" +
            "<a href=\"https://example.org/\"><text>link</text></a><set attributeName=\"fill\" to=\"red\"/></svg>"),
            "image/svg+xml", "DRAWING", 20, 20 },
    };

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Verify_ValidFile_FactsAndNoRefusal(string name, byte[] content, string mime, string mediaType, int width, int height)
    {
        var verification = Verify(content, name);

        Assert.Equal(new FileFacts(mime, mediaType, width, height), verification.Facts);
        Assert.Null(verification.Refusal);
    }

    [Fact]
    public void Verify_EmptyFile_EmptyFile()
    {
        var verification = Verify([], "Empty.png");

        Assert.Equal(new FileFacts("application/x-empty", "UNKNOWN", 0, 0), verification.Facts);
        AssertRefusal(verification.Refusal, "empty-file", "The file you submitted was empty.");
    }

    [Theory]
    [InlineData("Example.png", "png")]
    [InlineData("Example.PNG", "png")]
    [InlineData("Photo.JPEG", "jpeg")]
    [InlineData("Photo.jpg", "jpg")]
    [InlineData("archive.tar.gz", "gz")]
    [InlineData("trailing.svg ", "svg")]
    [InlineData("dir/file.v2", "v2")]
    [InlineData("Example", "")]
    [InlineData("Example.", "")]
    public void ExtensionOf_Name_LastPartLowerCased(string name, string extension)
    {
        Assert.Equal(extension, FileVerifier.ExtensionOf(name));
    }

    [Theory]
    [InlineData("Example.png")]
    [InlineData("Example.PNG")]
    [InlineData("Photo.jpeg")]
    [InlineData("Drawing.svg")]
    [InlineData("Version.1.2.webp")]
    public void CheckExtension_PermittedType_Null(string name)
    {
        Assert.Null(FileVerifier.CheckExtension(name, UploadRules.Default));
    }

    [Theory]
    [InlineData("Example", "filetype-missing", "The file has no extension (like \".jpg\").")]
    [InlineData("Example.", "filetype-missing", "The file has no extension (like \".jpg\").")]
    [InlineData("Setup.exe", "filetype-banned", "\".exe\" is not a permitted file type. " + Permitted)]
    [InlineData("Notes.txt", "filetype-banned", "\".txt\" is not a permitted file type. " + Permitted)]
    [InlineData("Notes.TXT", "filetype-banned", "\".TXT\" is not a permitted file type. " + Permitted)]
    [InlineData("Shell.php.png", "filetype-banned", "\".php\" is not a permitted file type. " + Permitted)]
    [InlineData("Twice.EXE.Php", "filetype-banned", "\".exe, php\" are not permitted file types. " + Permitted)]
    [InlineData("Page.html", "filetype-banned", "\".html\" is not a permitted file type. " + Permitted)]
    public void CheckExtension_RefusedName_MediaWikiError(string name, string code, string info)
    {
        AssertRefusal(FileVerifier.CheckExtension(name, UploadRules.Default), code, info);
    }

    [Fact]
    public void CheckExtension_OnePermittedType_SingularWording()
    {
        var rules = new UploadRules(["png", "PNG"], 100);

        AssertRefusal(FileVerifier.CheckExtension("Photo.jpg", rules), "filetype-banned", "\".jpg\" is not a permitted file type. Permitted file type is png.");
    }

    public static TheoryData<string, byte[], string, string[]> MismatchedFiles() => new()
    {
        { "Dot.jpg", OnePixelPng, "image/png", ["jpg", "image/png"] },
        { "Dot.JPG", OnePixelPng, "image/png", ["JPG", "image/png"] },
        { "Photo.png", Jpeg(2, 2), "image/jpeg", ["png", "image/jpeg"] },
        { "Anim.webp", Gif(2, 2), "image/gif", ["webp", "image/gif"] },
        { "Lossy.png", WebPLossy(2, 2), "image/webp", ["png", "image/webp"] },
        { "Drawing.png", Bytes($"<svg xmlns=\"{Svg}\"/>"), "image/svg+xml", ["png", "image/svg+xml"] },
        { "Notes.png", Bytes("Just some words.\n"), "text/plain", ["png", "text/plain"] },
        { "Setup.png", [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00], "application/octet-stream", ["png", "application/octet-stream"] },
        { "Program.gif", [0x7f, (byte)'E', (byte)'L', (byte)'F', 0x02, 0x01, 0x01], "application/octet-stream", ["gif", "application/octet-stream"] },
        { "Random.jpg", [0x00, 0x01, 0x02, 0x03, 0xfe], "application/octet-stream", ["jpg", "application/octet-stream"] },
        { "Archive.png", Zip(), "application/zip", ["png", "application/zip"] },
        { "Local.png", [(byte)'P', (byte)'K', 0x03, 0x04, 0x14, 0x00], "application/zip", ["png", "application/zip"] },
        { "Paper.png", Bytes("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n"), "application/pdf", ["png", "application/pdf"] },
        { "Run.png", Bytes("#!/bin/sh\necho hello\n"), "application/x-sh", ["png", "application/x-sh"] },
        { "Data.svg", Bytes("<root><item/></root>"), "application/xml", ["svg", "application/xml"] },
        { "Dot.svg", OnePixelPng, "image/png", ["svg", "image/png"] },
    };

    [Theory]
    [MemberData(nameof(MismatchedFiles))]
    public void Verify_ContentOfAnotherType_MimeMismatch(string name, byte[] content, string mime, string[] details)
    {
        var verification = Verify(content, name);

        Assert.Equal(mime, verification.Facts.Mime);
        AssertRefusal(verification.Refusal, "verification-error",
            $"File extension \".{details[0]}\" does not match the detected MIME type of the file ({details[1]}).",
            ["filetype-mime-mismatch", .. details]);
    }

    [Fact]
    public void Verify_PngNamedJpg_MimeMismatch()
    {
        var verification = Verify(OnePixelPng, "Dot.jpg");

        Assert.Equal(new FileFacts("image/png", "BITMAP", 1, 1), verification.Facts);
        AssertRefusal(verification.Refusal, "verification-error",
            "File extension \".jpg\" does not match the detected MIME type of the file (image/png).",
            "filetype-mime-mismatch", "jpg", "image/png");
    }

    [Fact]
    public void Verify_ExecutableNamedExe_ContentPassesThenNameBanned()
    {
        // MediaWiki checks the content before the name: MZ is application/octet-stream, which .exe fits.
        var verification = Verify([(byte)'M', (byte)'Z', 0x90, 0x00], "Setup.exe");

        Assert.Equal(new FileFacts("application/octet-stream", "UNKNOWN", 0, 0), verification.Facts);
        AssertRefusal(verification.Refusal, "filetype-banned", "\".exe\" is not a permitted file type. " + Permitted);
    }

    [Fact]
    public void Verify_PngWithoutExtension_FiletypeMissing()
    {
        AssertRefusal(Verify(OnePixelPng, "Dot").Refusal, "filetype-missing", "The file has no extension (like \".jpg\").");
    }

    public static TheoryData<string, byte[], string> BannedMimeFiles() => new()
    {
        { "Page.png", Bytes("<!DOCTYPE html>\n<html><head><title>x</title></head><body>hi</body></html>"), "text/html" },
        { "Broken.png", Bytes("<!doctype html><p>unclosed <br> tags"), "text/html" },
        { "Xhtml.svg", Bytes("<html xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p></html>"), "text/html" },
        { "Table.gif", Bytes("some text then <table><tr><td>cell</td></tr></table>"), "text/html" },
        { "Code.png", [.. OnePixelPng[..33], .. Bytes("<?php system($_GET['c']); ?>")], "application/x-php" },
        { "Code.jpg", Bytes("<?php echo 1;"), "application/x-php" },
        { "Meta.png", [0xd7, 0xcd, 0xc6, 0x9a, 0x00, 0x00], "application/x-msmetafile" },
    };

    [Theory]
    [MemberData(nameof(BannedMimeFiles))]
    public void Verify_ExcludedMimeType_BadMime(string name, byte[] content, string mime)
    {
        var verification = Verify(content, name);

        Assert.Equal(mime, verification.Facts.Mime);
        AssertRefusal(verification.Refusal, "verification-error",
            $"Files of the MIME type \"{mime}\" are not allowed to be uploaded.", "filetype-badmime", mime);
    }

    public static TheoryData<string, byte[]> ScriptedFiles() => new()
    {
        { "Text.png", [.. OnePixelPng[..33], .. PngChunk("tEXt", Bytes("Comment\0<script>alert(1)</script>")), .. OnePixelPng[33..]] },
        { "Head.gif", [.. Gif(1, 1)[..13], .. Bytes("<HEAD>")] },
        { "Body.jpg", [.. Jpeg(1, 1)[..2], 0xff, 0xfe, 0x00, 0x08, .. Bytes("<body>")] },
        { "Doctype.png", [.. OnePixelPng, .. Bytes("<!DOCTYPE XHTML>")] },
        { "Link.png", [.. OnePixelPng, .. Bytes("<a HREF = 'javascript:alert(1)'>")] },
        { "Entity.png", [.. OnePixelPng, .. Bytes("src=&#106;avascript:alert(1)")] },
        { "Css.webp", [.. WebPLossy(1, 1), .. Bytes("background: url( 'ecmascript:x')")] },
        { "Type.png", [.. OnePixelPng, .. Bytes("<x type=\"text/javascript\">")] },
        { "Script.svg", Bytes($"<svg xmlns=\"{Svg}\"><script>alert(1)</script></svg>") },
        { "Html.svg", Bytes($"<svg xmlns=\"{Svg}\"><foreignObject><html xmlns=\"http://www.w3.org/1999/xhtml\"/></foreignObject></svg>") },
        { "Javascript.svg", Bytes($"<svg xmlns=\"{Svg}\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>") },
        { "Utf7.svg", Bytes($"<?xml version=\"1.0\" encoding=\"UTF-7\"?><svg xmlns=\"{Svg}\"/>") },
        { "Unclosed.svg", Bytes($"<?xml version=\"1.0\" <svg xmlns=\"{Svg}\"/>") },
        { "Utf16.svg", Encoding.BigEndianUnicode.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-7\"?><svg xmlns=\"{Svg}\"/>") },
        { "Notes.txt", Bytes(new string('x', 5000) + "<SCRIPT>") },
    };

    [Theory]
    [MemberData(nameof(ScriptedFiles))]
    public void Verify_HtmlOrScriptInContent_UploadScripted(string name, byte[] content)
    {
        AssertRefusal(Verify(content, name).Refusal, "verification-error",
            "This file contains HTML or script code that may be erroneously interpreted by a web browser.", "uploadscripted");
    }

    public static TheoryData<string, string, string[]> HostileSvgs() => new()
    {
        {
            $"<svg xmlns:svg=\"{Svg}\"><svg:script>alert(1)</svg:script></svg>",
            "Found scriptable element \"script\" in the uploaded SVG file.",
            ["uploaded-script-svg", "script"]
        },
        {
            $"<svg xmlns=\"{Svg}\">{new string(' ', 1100)}<script>alert(1)</script></svg>",
            "Found scriptable element \"script\" in the uploaded SVG file.",
            ["uploaded-script-svg", "script"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><handler>alert(1)</handler></svg>",
            "Found scriptable element \"handler\" in the uploaded SVG file.",
            ["uploaded-script-svg", "handler"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><iframe/></svg>",
            "Found scriptable element \"iframe\" in the uploaded SVG file.",
            ["uploaded-script-svg", "iframe"]
        },
        {
            $"<svg xmlns=\"{Svg}\" onLoad=\"Alert(1)\"/>",
            "Setting event-handler attributes \"onLoad=\"alert(1)\"\" is not allowed in SVG files.",
            ["uploaded-event-handler-on-svg", "onLoad", "alert(1)"]
        },
        {
            $"<svg xmlns=\"{Svg}\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"http://example.org/x.png\"/></svg>",
            "elements can only link (href) to data: (embedded file), http:// or https://, or fragment (#, same-document) targets. For other elements, such as , only data: and fragment are allowed. Try embedding images when exporting your SVG. Found \"<image http://www.w3.org/1999/xlink:href=\"http://example.org/x.png\">\".",
            ["uploaded-href-attribute-svg", "image", "http://www.w3.org/1999/xlink:href", "http://example.org/x.png"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><use href=\"other.svg#a\"/></svg>",
            "elements can only link (href) to data: (embedded file), http:// or https://, or fragment (#, same-document) targets. For other elements, such as , only data: and fragment are allowed. Try embedding images when exporting your SVG. Found \"<use href=\"other.svg#a\">\".",
            ["uploaded-href-attribute-svg", "use", "href", "other.svg#a"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/></svg>",
            "Found href to unsafe data: URI target \"<image href=\"data:image/svg+xml;base64,phn2zz4=\">\" in the uploaded SVG file.",
            ["uploaded-href-unsafe-target-svg", "image", "href", "data:image/svg+xml;base64,phn2zz4="]
        },
        {
            $"<svg xmlns=\"{Svg}\"><a href=\"data:text/html,hi\"><text>x</text></a></svg>",
            "Found href to unsafe data: URI target \"<a href=\"data:text/html,hi\">\" in the uploaded SVG file.",
            ["uploaded-href-unsafe-target-svg", "a", "href", "data:text/html,hi"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><image href=\"data:image/webp;base64,UklGRg==\"/></svg>",
            "Found href to unsafe data: URI target \"<image href=\"data:image/webp;base64,uklgrg==\">\" in the uploaded SVG file.",
            ["uploaded-href-unsafe-target-svg", "image", "href", "data:image/webp;base64,uklgrg=="]
        },
        {
            $"<svg xmlns=\"{Svg}\"><a><animate attributeName=\"xlink:href\" from=\"#a\" to=\"#b\"/></a></svg>",
            "Found \"animate\" tag that might be changing href, using the \"from\" attribute \"<animate attributeName=\"xlink:href\">\" in the uploaded SVG file.",
            ["uploaded-animate-svg", "animate", "attributeName", "xlink:href"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>",
            "Setting event-handler attributes is blocked, found \"<set attributename=\"onmouseover\">\" in the uploaded SVG file.",
            ["uploaded-setting-event-handler-svg", "set", "attributename", "onmouseover"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><animate attributeName=\"onclick\" values=\"x\"/></svg>",
            "Setting event-handler attributes is blocked, found \"<animate attributename=\"onclick\">\" in the uploaded SVG file.",
            ["uploaded-setting-event-handler-svg", "animate", "attributename", "onclick"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><set attributeName=\"xlink:href\" to=\"#b\"/></svg>",
            "Using the \"set\" tag to add \"href\" attribute to parent element is blocked.",
            ["uploaded-setting-href-svg"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><set attributeName=\"fill\" to=\"url(HTTP://example.org/x)\"/></svg>",
            "Using the \"set\" tag to add a remote/data/script target to any attribute is blocked. Found \"<set to=\"url(http://example.org/x)\">\" in the uploaded SVG file.",
            ["uploaded-wrong-setting-svg", "url(http://example.org/x)"]
        },
        {
            $"<svg xmlns=\"{Svg}\" xmlns:ev=\"http://www.w3.org/2001/xml-events\"><g ev:handler=\"http://example.org/h.js\"/></svg>",
            "SVG that sets the \"handler\" attribute with remote/data/script is blocked. Found \"http://www.w3.org/2001/xml-events:handler=\"http://example.org/h.js\"\" in the uploaded SVG file.",
            ["uploaded-setting-handler-svg", "http://www.w3.org/2001/xml-events:handler", "http://example.org/h.js"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><rect style=\"fill:url(http://example.org/p.svg#a)\"/></svg>",
            "SVG that sets any style attribute with remote URL is blocked. Found \"style=\"fill:url(http://example.org/p.svg#a)\"\" in the uploaded SVG file.",
            ["uploaded-remote-url-svg", "style", "fill:url(http://example.org/p.svg#a)"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><rect style=\"fill:u\\72l(//example.org/p)\"/></svg>",
            "SVG that sets any style attribute with remote URL is blocked. Found \"style=\"fill:u\\72l(//example.org/p)\"\" in the uploaded SVG file.",
            ["uploaded-remote-url-svg", "style", "fill:u\\72l(//example.org/p)"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><rect fill=\"url('//example.org/p')\"/></svg>",
            "SVG that sets any style attribute with remote URL is blocked. Found \"fill=\"url('//example.org/p')\"\" in the uploaded SVG file.",
            ["uploaded-remote-url-svg", "fill", "url('//example.org/p')"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><rect style=\"width: expression(alert(1))\"/></svg>",
            "SVG that sets any style attribute with remote URL is blocked. Found \"style=\"width: expression(alert(1))\"\" in the uploaded SVG file.",
            ["uploaded-remote-url-svg", "style", "width: expression(alert(1))"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><image filter=\"url(x\" href=\"data:image/png;base64,AAAA\"/></svg>",
            "Found image filter with URL: \"<image filter=\"url(x\">\" in the uploaded SVG file.",
            ["uploaded-image-filter-svg", "image", "filter", "url(x"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><style>@import url(http://example.org/a.css);</style></svg>",
            "Found unsafe CSS in the style element of uploaded SVG file.",
            ["uploaded-hostile-svg"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><style><![CDATA[rect {{ fill: url(http://example.org/p) }}]]></style></svg>",
            "Found unsafe CSS in the style element of uploaded SVG file.",
            ["uploaded-hostile-svg"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><style>rect {{ background: url/**/(//example.org/p) }}</style></svg>",
            "Found unsafe CSS in the style element of uploaded SVG file.",
            ["uploaded-hostile-svg"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><foreignObject><x:div xmlns:x=\"http://www.w3.org/1999/xhtml\">hi</x:div></foreignObject></svg>",
            "This SVG file contains an illegal namespace \"http://www.w3.org/1999/xhtml\".",
            ["uploadscriptednamespace", "http://www.w3.org/1999/xhtml"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><e:x xmlns:e=\"http://Example.org/NS\" onclick=\"x\"/></svg>",
            "This SVG file contains an illegal namespace \"http://example.org/ns\".",
            ["uploadscriptednamespace", "http://example.org/ns"]
        },
        {
            $"<?xml-stylesheet type=\"text/css\" href=\"style.css\"?><svg xmlns=\"{Svg}\"/>",
            "Cannot upload a file that contains XML-stylesheet processing instruction.",
            ["upload-scripted-pi-callback"]
        },
        {
            $"<!DOCTYPE svg SYSTEM \"http://example.org/evil.dtd\"><svg xmlns=\"{Svg}\"/>",
            "Cannot upload SVG files that contain a non-standard DTD declaration.",
            ["upload-scripted-dtd"]
        },
        {
            $"<!DOCTYPE svg PUBLIC \"-//Evil//DTD SVG//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><svg xmlns=\"{Svg}\"/>",
            "Cannot upload SVG files that contain a non-standard DTD declaration.",
            ["upload-scripted-dtd"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><g></svg>",
            "The XML in the uploaded file could not be parsed.",
            ["uploadinvalidxml"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><text>&nbsp;</text></svg>",
            "The XML in the uploaded file could not be parsed.",
            ["uploadinvalidxml"]
        },
        {
            $"<!DOCTYPE svg [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;\">]><svg xmlns=\"{Svg}\"><text>&b;</text></svg>",
            "The XML in the uploaded file could not be parsed.",
            ["uploadinvalidxml"]
        },
        {
            $"<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"{Svg}\"><text>&x;</text></svg>",
            "The XML in the uploaded file could not be parsed.",
            ["uploadinvalidxml"]
        },
        {
            $"<!DOCTYPE svg [<!ATTLIST svg onload CDATA \"alert(1)\">]><svg xmlns=\"{Svg}\"/>",
            "The XML in the uploaded file could not be parsed.",
            ["uploadinvalidxml"]
        },
        {
            $"<svg xmlns=\"{Svg}\"><script>alert(1)</script><g>",
            "This file contains HTML or script code that may be erroneously interpreted by a web browser.",
            ["uploadscripted"]
        },
    };

    [Theory]
    [MemberData(nameof(HostileSvgs))]
    public void Verify_HostileSvg_VerificationErrorWithMediaWikiDetails(string svg, string info, string[] details)
    {
        var verification = Verify(Bytes(svg), "Drawing.svg");

        Assert.Equal("image/svg+xml", verification.Facts.Mime);
        AssertRefusal(verification.Refusal, "verification-error", info, details);
    }

    [Fact]
    public void Verify_SvgWithSeveralProblems_NamespaceWinsThenLastToClose()
    {
        // XmlTypeCheck runs the filter as each element closes; the last hit is reported, and a namespace outside
        // the allow-list is reported whatever else was found.
        var lastToClose = Verify(Bytes($"<svg xmlns=\"{Svg}\" onload=\"x\"><iframe/></svg>"), "Drawing.svg");
        var withNamespace = Verify(Bytes($"<svg xmlns=\"{Svg}\" onload=\"x\"><h:p xmlns:h=\"urn:x\"/></svg>"), "Drawing.svg");

        AssertRefusal(lastToClose.Refusal, "verification-error", "Setting event-handler attributes \"onload=\"x\"\" is not allowed in SVG files.",
            "uploaded-event-handler-on-svg", "onload", "x");
        AssertRefusal(withNamespace.Refusal, "verification-error", "This SVG file contains an illegal namespace \"urn:x\".",
            "uploadscriptednamespace", "urn:x");
    }

    [Fact]
    public void Verify_SvgNamedPng_ScriptFoundBeforeMismatch()
    {
        var verification = Verify(Bytes($"<svg xmlns=\"{Svg}\" onload=\"x\"/>"), "Drawing.png");

        AssertRefusal(verification.Refusal, "verification-error", "Setting event-handler attributes \"onload=\"x\"\" is not allowed in SVG files.",
            "uploaded-event-handler-on-svg", "onload", "x");
    }

    [Fact]
    public void Verify_MalformedSvgNamedPng_MismatchBeforeInvalidXml()
    {
        var verification = Verify(Bytes($"<svg xmlns=\"{Svg}\"><g></svg>"), "Drawing.png");

        AssertRefusal(verification.Refusal, "verification-error",
            "File extension \".png\" does not match the detected MIME type of the file (image/svg+xml).",
            "filetype-mime-mismatch", "png", "image/svg+xml");
    }

    [Fact]
    public void Verify_SvgLargerThanScanLimit_InvalidXml()
    {
        var svg = $"<svg xmlns=\"{Svg}\"><desc>{new string('x', 5 * 1024 * 1024)}</desc></svg>";

        AssertRefusal(Verify(Bytes(svg), "Huge.svg").Refusal, "verification-error", "The XML in the uploaded file could not be parsed.", "uploadinvalidxml");
    }

    [Theory]
    [InlineData(10001, 10000, "100010000")]
    [InlineData(6000, 4000, null)]
    [InlineData(65535, 1, null)]
    public void Verify_PngArea_RefusedAboveMaxImageArea(int width, int height, string? area)
    {
        var verification = Verify(Png(width, height), "Big.png");

        Assert.Equal(new FileFacts("image/png", "BITMAP", width, height), verification.Facts);
        if (area is null)
        {
            Assert.Null(verification.Refusal);
        }
        else
        {
            AssertRefusal(verification.Refusal, "verification-error",
                $"The image has {area} pixels, more than the 100000000 pixels this wiki accepts.",
                "file-too-many-pixels", area, "100000000");
        }
    }

    public static TheoryData<string, byte[]> BitmapsOfElevenByTen() => new()
    {
        { "A.png", Png(11, 10) },
        { "A.jpg", Jpeg(11, 10) },
        { "A.gif", Gif(11, 10) },
        { "A.webp", WebPLossy(11, 10) },
        { "B.webp", WebPLossless(11, 10) },
        { "C.webp", WebPExtended(11, 10) },
    };

    [Theory]
    [MemberData(nameof(BitmapsOfElevenByTen))]
    public void Verify_BitmapOverTheWikisArea_TooManyPixels(string name, byte[] content)
    {
        var rules = new UploadRules(UploadRules.Default.FileExtensions, 100);

        AssertRefusal(FileVerifier.Verify(new MemoryStream(content), name, rules).Refusal, "verification-error",
            "The image has 110 pixels, more than the 100 pixels this wiki accepts.", "file-too-many-pixels", "110", "100");
        Assert.Null(FileVerifier.Verify(new MemoryStream(Png(10, 10)), "Exact.png", rules).Refusal);
    }

    [Fact]
    public void Verify_LargeSvg_NotLimitedByPixels()
    {
        var verification = Verify(Bytes($"<svg xmlns=\"{Svg}\" width=\"100000\" height=\"100000\"/>"), "Map.svg");

        Assert.Equal(new FileFacts("image/svg+xml", "DRAWING", 100000, 100000), verification.Facts);
        Assert.Null(verification.Refusal);
    }

    [Fact]
    public void Verify_StreamNotAtStart_ReadsFromTheStart()
    {
        using var stream = new MemoryStream(Gif(3, 4));
        stream.Position = 7;

        Assert.Equal(new FileFacts("image/gif", "BITMAP", 3, 4), FileVerifier.Verify(stream, "A.gif", UploadRules.Default).Facts);
    }

    [Fact]
    public void Default_Rules_MediaWikiDefaultsPlusSvg()
    {
        Assert.Equal(["png", "gif", "jpg", "jpeg", "webp", "svg"], UploadRules.Default.FileExtensions);
        Assert.Equal(100_000_000, UploadRules.Default.MaxImageArea);
    }

    private static FileVerification Verify(byte[] content, string name)
    {
        using var stream = new MemoryStream(content);
        return FileVerifier.Verify(stream, name, UploadRules.Default);
    }

    private static void AssertRefusal(UploadRefusal? refusal, string code, string info, params string[] details)
    {
        Assert.NotNull(refusal);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(info, refusal.Info);
        if (details.Length == 0)
        {
            Assert.Null(refusal.Details);
        }
        else
        {
            Assert.Equal(details, refusal.Details);
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A PNG signature and IHDR chunk (8-bit RGBA) of the given size, then IEND.</summary>
    private static byte[] Png(int width, int height)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = 6;
        return [.. OnePixelPng[..8], .. PngChunk("IHDR", header), .. PngChunk("IEND", [])];
    }

    private static byte[] PngChunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xffffffffu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xffffffffu;
    }

    /// <summary>SOI, APP0 (JFIF) or a padded APP1 (Exif), a quantisation table, a SOF0 (or SOF2) frame of the given size, EOI.</summary>
    private static byte[] Jpeg(int width, int height, bool exif = false, bool progressive = false)
    {
        byte[] app = exif
            ? [0xff, 0xe1, 0x04, 0x08, .. Bytes("Exif\0\0"), .. new byte[1024]]
            : [0xff, 0xe0, 0x00, 0x10, .. Bytes("JFIF\0"), 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
        byte[] table = [0xff, 0xdb, 0x00, 0x43, 0x00, .. Enumerable.Repeat((byte)1, 64)];
        byte[] frame =
        [
            0xff, progressive ? (byte)0xc2 : (byte)0xc0, 0x00, 0x11, 0x08,
            (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width,
            0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        ];
        return [0xff, 0xd8, .. app, .. table, 0xff, 0xff, .. frame, 0xff, 0xd9];
    }

    /// <summary>A GIF89a header with the logical screen size, no colour table, and the trailer.</summary>
    private static byte[] Gif(int width, int height) =>
        [.. Bytes("GIF89a"), (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00, 0x00, 0x00, 0x3b];

    /// <summary>RIFF/WEBP with a lossy "VP8 " key frame header.</summary>
    private static byte[] WebPLossy(int width, int height) =>
        Riff("VP8 ", [0x9d, 0x01, 0x00, 0x9d, 0x01, 0x2a, (byte)width, (byte)((width >> 8) & 0x3f), (byte)height, (byte)((height >> 8) & 0x3f)]);

    /// <summary>RIFF/WEBP with a lossless "VP8L" header (14-bit width-1 and height-1).</summary>
    private static byte[] WebPLossless(int width, int height)
    {
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        return Riff("VP8L", [0x2f, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), (byte)(bits >> 24)]);
    }

    /// <summary>RIFF/WEBP with an extended "VP8X" canvas (24-bit width-1 and height-1).</summary>
    private static byte[] WebPExtended(int width, int height)
    {
        int w = width - 1, h = height - 1;
        return Riff("VP8X", [0x00, 0x00, 0x00, 0x00, (byte)w, (byte)(w >> 8), (byte)(w >> 16), (byte)h, (byte)(h >> 8), (byte)(h >> 16)]);
    }

    private static byte[] Riff(string chunk, byte[] data)
    {
        byte[] body = [.. Bytes("WEBP"), .. Bytes(chunk), (byte)data.Length, 0x00, 0x00, 0x00, .. data];
        var size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, body.Length);
        return [.. Bytes("RIFF"), .. size, .. body];
    }

    /// <summary>An empty ZIP archive: its end-of-central-directory record alone.</summary>
    private static byte[] Zip() => [(byte)'P', (byte)'K', 0x05, 0x06, .. new byte[18]];
}
