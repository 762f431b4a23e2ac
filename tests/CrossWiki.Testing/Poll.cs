using System.Diagnostics;

namespace CrossWiki.Testing;

/// <summary>Waits for a condition that another process (or a timer that cannot be faked) makes true.</summary>
internal static class Poll
{
    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds} s: {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
