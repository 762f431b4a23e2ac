using DiffPlex;

namespace CrossWiki.Server.Pages;

/// <summary>
/// Undoing revisions: the change from the revision before them (<c>undoafter</c>) to the one undone (<c>undo</c>)
/// is taken back out of the current text by a line-based three-way merge (DiffPlex), so later edits elsewhere
/// in the page stay; when they touched the same lines the undo fails, as MediaWiki's does.
/// </summary>
internal static class Undo
{
    /// <summary>The current text with the change undone, or null when later edits conflict with it.</summary>
    public static string? Apply(string current, string undone, string before)
    {
        if (current == undone)
        {
            return before;
        }

        var merge = ThreeWayDiffer.Instance.CreateMerge(undone, current, before, false, false, LineDiff.LineChunker.Instance);
        return merge.IsSuccessful ? string.Join('\n', merge.MergedPieces) : null;
    }
}
