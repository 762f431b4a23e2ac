using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Server.Accounts;

/// <summary>Saved preferences of one user on one wiki; a value equal to the default (or null) removes the row.</summary>
internal static class PreferenceStore
{
    /// <summary>The saved options of a user on a wiki, tracked (they are changed and saved).</summary>
    private static readonly Func<WikiDbContext, string, int, IAsyncEnumerable<UserPreference>> SavedQuery =
        EF.CompileAsyncQuery((WikiDbContext db, string wikiId, int userId) => db.Preferences.Where(p => p.WikiId == wikiId && p.UserId == userId));

    public static async Task<Dictionary<string, string>> LoadAsync(IDbContextFactory<WikiDbContext> dbFactory, string wikiId, int userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Preferences.AsNoTracking().Where(p => p.WikiId == wikiId && p.UserId == userId).ToDictionaryAsync(p => p.Name, p => p.Value, StringComparer.Ordinal, ct);
    }

    /// <summary>One saved option of a user on a wiki, or null when it has its default.</summary>
    public static async Task<string?> GetAsync(IDbContextFactory<WikiDbContext> dbFactory, string wikiId, int userId, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Preferences.AsNoTracking().Where(p => p.WikiId == wikiId && p.UserId == userId && p.Name == name).Select(p => p.Value).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Applies changes in one save: first removes the saved options <paramref name="resetWhere"/> selects
    /// (action=options' reset), then sets each change; a null value resets that option to its default.
    /// </summary>
    public static async Task SetAsync(
        IDbContextFactory<WikiDbContext> dbFactory, WriteGate writes, string wikiId, int userId, IEnumerable<(string Name, string? Value)> changes,
        CancellationToken ct, Func<string, bool>? resetWhere = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var turn = await writes.EnterAsync(ct);
        var saved = new Dictionary<string, UserPreference>(StringComparer.Ordinal);
        await foreach (var pref in SavedQuery(db, wikiId, userId).WithCancellation(ct))
        {
            saved.Add(pref.Name, pref);
        }

        if (resetWhere is not null)
        {
            foreach (var pref in saved.Values.Where(p => resetWhere(p.Name)).ToList())
            {
                db.Preferences.Remove(pref);
                saved.Remove(pref.Name);
            }
        }

        foreach (var (name, value) in changes)
        {
            var isDefault = value is null || (Preferences.DefaultOf(name) is { } d && PreferenceRules.Format(d) == value);
            if (saved.TryGetValue(name, out var existing))
            {
                if (isDefault)
                {
                    db.Preferences.Remove(existing);
                    saved.Remove(name);
                }
                else
                {
                    existing.Value = value!;
                }
            }
            else if (!isDefault)
            {
                saved[name] = db.Preferences.Add(new UserPreference { WikiId = wikiId, UserId = userId, Name = name, Value = value! }).Entity;
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
