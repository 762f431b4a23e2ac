using Microsoft.Extensions.Time.Testing;

namespace CrossWiki.Tests.Infrastructure;

/// <summary>One farm shared by a test class whose tests do not depend on each other's data.</summary>
public sealed class FarmFixture : IAsyncLifetime
{
    internal TestFarm Farm { get; private set; } = null!;

    public const string UserName = "Alice";
    public const string Password = "alice-password-1";
    public const string BotName = "Robot";
    public const string BotPassword = "robot-password-1";

    public async Task InitializeAsync() => Farm = await StartWithUsersAsync(null);

    public async Task DisposeAsync() => await Farm.DisposeAsync();

    internal static async Task<TestFarm> StartWithUsersAsync(TimeProvider? clock)
    {
        var farm = await TestFarm.StartAsync(services: clock is null ? null : s => s.AddSingleton(clock));
        await farm.CreateUserAsync(UserName, Password);
        await farm.CreateUserAsync(BotName, BotPassword, "bot");
        return farm;
    }
}

/// <summary>
/// <see cref="FarmFixture"/> with the server's clock in the test's hand: it starts at the real time and moves
/// only when a test advances it, so a test that needs a later timestamp does not sleep for it.
/// </summary>
public sealed class FakeClockFarmFixture : IAsyncLifetime
{
    internal TestFarm Farm { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync() => Farm = await FarmFixture.StartWithUsersAsync(Clock);

    public async Task DisposeAsync() => await Farm.DisposeAsync();
}
