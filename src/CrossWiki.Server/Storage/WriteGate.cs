namespace CrossWiki.Server.Storage;

/// <summary>
/// Lets one write of this process at a time into the database. SQLite has a single writer; when two
/// connections of one process race for it, the loser is told the database is busy and
/// Microsoft.Data.Sqlite retries after sleeping, which stalls requests for far longer than waiting
/// here in turn does. Writers in other processes are still handled by SQLite's locking. The SQLite
/// context factory provides an exclusive gate (<see cref="WikiDbContextFactory.Writes"/>); PostgreSQL
/// takes concurrent writers itself, so its farms get <see cref="None"/>, where every turn is granted at once.
/// </summary>
internal sealed class WriteGate : IDisposable
{
    private readonly SemaphoreSlim? _gate;

    private WriteGate(SemaphoreSlim? gate) => _gate = gate;

    /// <summary>A gate that never waits: the database orders concurrent writers itself.</summary>
    public static WriteGate None { get; } = new(null);

    /// <summary>A gate that lets one writer through at a time.</summary>
    public static WriteGate Exclusive() => new(new SemaphoreSlim(1, 1));

    /// <summary>Whether a turn excludes the other writers of this process.</summary>
    public bool IsExclusive => _gate is not null;

    /// <summary>Waits for this writer's turn; disposing the turn (once or more) ends it.</summary>
    public async ValueTask<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (_gate is null)
        {
            return NoTurn.Instance;
        }

        await _gate.WaitAsync(ct);
        return new Turn(_gate);
    }

    public void Dispose() => _gate?.Dispose();

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private sealed class NoTurn : IDisposable
    {
        public static readonly NoTurn Instance = new();

        public void Dispose()
        {
        }
    }
}
