namespace CrossWiki.Server.Pages;

/// <summary>A content model and its serialisation format (MediaWiki's <c>CONTENT_MODEL_*</c> and <c>CONTENT_FORMAT_*</c>).</summary>
internal sealed record ContentModel(string Name, string Format)
{
    public static readonly ContentModel Wikitext = new("wikitext", "text/x-wiki");
    public static readonly ContentModel JavaScript = new("javascript", "text/javascript");
    public static readonly ContentModel Css = new("css", "text/css");
    public static readonly ContentModel Json = new("json", "application/json");

    public bool IsCode => this != Wikitext;

    /// <summary>The model of a name an API client gives (<c>contentmodel</c>); null for a name no page here has.</summary>
    public static ContentModel? Named(string name) => name switch
    {
        "wikitext" => Wikitext,
        "javascript" => JavaScript,
        "css" => Css,
        "json" => Json,
        _ => null,
    };

    /// <summary>
    /// Whether a text is valid content of this model (Content::isValid): JSON must parse as one JSON value,
    /// as PHP's json_decode reads it (no comments or trailing commas, nesting up to 512); other models take any text.
    /// </summary>
    public bool IsValid(string text)
    {
        if (this != Json)
        {
            return true;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text, new System.Text.Json.JsonDocumentOptions { MaxDepth = 512 });
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// MediaWiki's default model of a title (ContentHandler::getDefaultModelFor): MediaWiki-namespace pages
    /// and user subpages ending in <c>.js</c>, <c>.css</c> or <c>.json</c> hold code; every other page wikitext.
    /// </summary>
    public static ContentModel For(Title title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var code = title.Namespace == NamespaceTable.MediaWiki || (title.Namespace == NamespaceTable.User && title.DbKey.Contains('/', StringComparison.Ordinal));
        if (!code)
        {
            return Wikitext;
        }

        return title.DbKey.EndsWith(".js", StringComparison.Ordinal) ? JavaScript
            : title.DbKey.EndsWith(".css", StringComparison.Ordinal) ? Css
            : title.DbKey.EndsWith(".json", StringComparison.Ordinal) ? Json
            : Wikitext;
    }

    /// <summary>
    /// The Content-Type of <c>action=raw</c> (RawAction): <c>ctype</c> when it is one MediaWiki allows, else
    /// the page's own format. Script and style types are given only for the pages that hold them (a user's or
    /// the site's <c>.js</c>/<c>.css</c>), so no other page can be loaded as script or style.
    /// </summary>
    public static string RawContentType(Title title, string? ctype)
    {
        var model = For(title);
        var wanted = ctype switch
        {
            "text/x-wiki" or "text/javascript" or "text/css" or "application/json" or "application/x-zope-edit" => ctype,
            _ => model.Format,
        };
        return wanted switch
        {
            "text/javascript" when model != JavaScript => Wikitext.Format,
            "text/css" when model != Css => Wikitext.Format,
            _ => wanted,
        };
    }
}
