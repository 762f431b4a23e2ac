namespace CrossWiki.Server.Pages;

internal static class EditText
{
    /// <summary>MediaWiki's pre-save transform for wikitext: normalized newlines, no trailing whitespace.</summary>
    public static string PreSaveTransform(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd();
}
