namespace CrossWiki.Server.Pages;

/// <summary>
/// Counts the page saves this process committed, so what was read before a save can tell it is stale
/// (<see cref="RenderedPages"/>' kept page heads and red-link checks). Raised by <see cref="PageEditor"/>
/// after each commit, and by <see cref="JobRunner"/> when a job touched pages; one instance per server (a singleton), so farms in one test process do not see
/// each other's saves.
/// </summary>
internal sealed class PageChanges
{
    private long _saves;

    /// <summary>Saves committed so far; read before reading what a save could change.</summary>
    public long Saves => Volatile.Read(ref _saves);

    /// <summary>Called once a transaction that saved a revision has committed.</summary>
    public void Saved() => Interlocked.Increment(ref _saves);
}
