namespace CrossWiki.Server.Pages;

internal static class EditText
{
    /// <summary>MediaWiki's pre-save transform for wikitext: normalized newlines, PHP's rtrim (spaces, tabs, newlines, NUL, vertical tab).</summary>
    public static string PreSaveTransform(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').TrimEnd(' ', '\t', '\n', '\r', '\0', '\v');
}
