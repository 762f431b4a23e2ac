using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Files;

/// <summary>
/// The messages an upload refusal carries, as <c>api.php</c> gives them in English: MediaWiki's texts with
/// their parameters filled in, as plain text.
/// </summary>
internal static partial class FileVerifierMessages
{
    /// <summary>The English texts (en.json) of the messages a refusal can carry, with MediaWiki's markup.</summary>
    private static readonly FrozenDictionary<string, string> Messages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["empty-file"] = "The file you submitted was empty.",
        ["filetype-missing"] = "The file has no extension (like \".jpg\").",
        ["filetype-mime-mismatch"] = "File extension \".$1\" does not match the detected MIME type of the file ($2).",
        ["filetype-badmime"] = "Files of the MIME type \"$1\" are not allowed to be uploaded.",
        ["uploadscripted"] = "This file contains HTML or script code that may be erroneously interpreted by a web browser.",
        ["upload-scripted-pi-callback"] = "Cannot upload a file that contains XML-stylesheet processing instruction.",
        ["upload-scripted-dtd"] = "Cannot upload SVG files that contain a non-standard DTD declaration.",
        ["uploaded-script-svg"] = "Found scriptable element \"$1\" in the uploaded SVG file.",
        ["uploaded-hostile-svg"] = "Found unsafe CSS in the style element of uploaded SVG file.",
        ["uploaded-event-handler-on-svg"] = "Setting event-handler attributes <code>$1=\"$2\"</code> is not allowed in SVG files.",
        ["uploaded-href-attribute-svg"] = "<a> elements can only link (href) to data: (embedded file), http:// or https://, or fragment (#, same-document) targets. For other elements, such as <image>, only data: and fragment are allowed. Try embedding images when exporting your SVG. Found <code>&lt;$1 $2=\"$3\"&gt;</code>.",
        ["uploaded-href-unsafe-target-svg"] = "Found href to unsafe data: URI target <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-animate-svg"] = "Found \"animate\" tag that might be changing href, using the \"from\" attribute <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-setting-event-handler-svg"] = "Setting event-handler attributes is blocked, found <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-setting-href-svg"] = "Using the \"set\" tag to add \"href\" attribute to parent element is blocked.",
        ["uploaded-wrong-setting-svg"] = "Using the \"set\" tag to add a remote/data/script target to any attribute is blocked. Found <code>&lt;set to=\"$1\"&gt;</code> in the uploaded SVG file.",
        ["uploaded-setting-handler-svg"] = "SVG that sets the \"handler\" attribute with remote/data/script is blocked. Found <code>$1=\"$2\"</code> in the uploaded SVG file.",
        ["uploaded-remote-url-svg"] = "SVG that sets any style attribute with remote URL is blocked. Found <code>$1=\"$2\"</code> in the uploaded SVG file.",
        ["uploaded-image-filter-svg"] = "Found image filter with URL: <code>&lt;$1 $2=\"$3\"&gt;</code> in the uploaded SVG file.",
        ["uploadscriptednamespace"] = "This SVG file contains an illegal namespace \"<nowiki>$1</nowiki>\".",
        ["uploadinvalidxml"] = "The XML in the uploaded file could not be parsed.",
        // CrossWiki's own message (MediaWiki has no such upload check).
        ["file-too-many-pixels"] = "The image has $1 pixels, more than the $2 pixels this wiki accepts.",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>A message in English with its parameters, as plain text.</summary>
    public static string Render(string key, params string[] parameters)
    {
        var text = new StringBuilder(Messages[key]);
        for (var i = parameters.Length; i >= 1; i--)
        {
            text.Replace("$" + i.ToString(CultureInfo.InvariantCulture), parameters[i - 1]);
        }

        return StripMarkup(text.ToString());
    }

    /// <summary>
    /// ApiErrorFormatter's plain text of a message (stripMarkup, then Sanitizer::stripAllTags): <c>var</c>,
    /// <c>kbd</c>, <c>samp</c> and <c>code</c> tags become quotes, other tags go, character references are
    /// decoded and runs of whitespace become one space.
    /// </summary>
    public static string StripMarkup(string text)
    {
        text = QuotingTags().Replace(text, "\"");
        var plain = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var tag = text[i] == '<' && i + 1 < text.Length
                && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '!' or '?' || (text[i + 1] == '/' && i + 2 < text.Length && char.IsAsciiLetter(text[i + 2])));
            if (!tag)
            {
                plain.Append(text[i]);
                continue;
            }

            var end = text.IndexOf('>', i);
            if (end < 0)
            {
                break;
            }

            i = end;
        }

        return Whitespace().Replace(WebUtility.HtmlDecode(plain.ToString()), " ").Trim(' ');
    }

    [GeneratedRegex(@"</?(?:var|kbd|samp|code)>")]
    private static partial Regex QuotingTags();

    [GeneratedRegex(@"(?:\r\n|[\x20\r\n\t])+")]
    private static partial Regex Whitespace();
}
