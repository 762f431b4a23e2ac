namespace CrossWiki.Tests.Infrastructure;

/// <summary>Fresh accounts for one test, so no test sees another's edits, options or sessions.</summary>
internal static class TestUsers
{
    private static int _next;

    /// <summary>Creates a user with a unique name (<paramref name="prefix"/> + a number) and returns the name.</summary>
    public static async Task<string> CreateAsync(TestFarm farm, string prefix, params string[] groups)
    {
        var name = prefix + Interlocked.Increment(ref _next);
        await farm.CreateUserAsync(name, Password, groups);
        return name;
    }

    public const string Password = "test-password-1";

    /// <summary>A client logged in as a new user on <paramref name="api"/> (alpha by default).</summary>
    public static async Task<(ApiClient Client, string Name)> LoggedInAsync(TestFarm farm, string prefix, string? api = null, params string[] groups)
    {
        var name = await CreateAsync(farm, prefix, groups);
        var client = farm.Client(api);
        await client.LoginAsync(name, Password);
        return (client, name);
    }
}
