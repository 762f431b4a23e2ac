namespace CrossWiki.Server.Pages;

internal static class EditLimits
{
    /// <summary>MediaWiki's default <c>$wgMaxArticleSize</c>: 2048 KiB.</summary>
    public const int MaxArticleBytes = 2048 * 1024;
}
