namespace CrossWiki.Tests.Infrastructure;

/// <summary>One farm shared by a test class whose tests do not depend on each other's data.</summary>
public sealed class FarmFixture : IAsyncLifetime
{
    internal TestFarm Farm { get; private set; } = null!;

    public const string UserName = "Alice";
    public const string Password = "alice-password-1";
    public const string BotName = "Robot";
    public const string BotPassword = "robot-password-1";

    public async Task InitializeAsync()
    {
        Farm = await TestFarm.StartAsync();
        await Farm.CreateUserAsync(UserName, Password);
        await Farm.CreateUserAsync(BotName, BotPassword, "bot");
    }

    public async Task DisposeAsync() => await Farm.DisposeAsync();
}
