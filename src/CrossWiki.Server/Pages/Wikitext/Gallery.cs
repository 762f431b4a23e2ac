namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
        // <gallery>: core's traditional gallery, one box per "File:Name|caption" line.
        private static string Gallery(string attributes, string content)
        {
            _ = attributes;
            _ = content;
            return string.Empty;
        }
    }
}
