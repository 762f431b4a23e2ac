using CrossWiki.Server.Farm;
using CrossWiki.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace CrossWiki.Tests.Storage;

/// <summary>Write turns: one writer at a time on a SQLite farm, none waiting on a PostgreSQL farm.</summary>
public sealed class WriteGateTests
{
    [Fact]
    public async Task Exclusive_SecondWriter_WaitsUntilTheFirstTurnEnds()
    {
        using var gate = WriteGate.Exclusive();
        var first = await gate.EnterAsync(CancellationToken.None);

        var second = gate.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        first.Dispose();
        using var secondTurn = await second;
        Assert.True(gate.IsExclusive);
    }

    [Fact]
    public async Task Exclusive_TurnDisposedTwice_LetsOnlyOneWriterIn()
    {
        using var gate = WriteGate.Exclusive();
        var first = await gate.EnterAsync(CancellationToken.None);
        first.Dispose();
        first.Dispose();

        using var second = await gate.EnterAsync(CancellationToken.None);
        var third = gate.EnterAsync(CancellationToken.None).AsTask();

        Assert.False(third.IsCompleted);
        second.Dispose();
        (await third).Dispose();
    }

    [Fact]
    public async Task None_EveryWriter_EntersAtOnce()
    {
        var first = gate().EnterAsync(CancellationToken.None);
        var second = gate().EnterAsync(CancellationToken.None);

        Assert.True(first.IsCompleted);
        Assert.True(second.IsCompleted);
        (await first).Dispose();
        (await second).Dispose();
        Assert.False(WriteGate.None.IsExclusive);

        static WriteGate gate() => WriteGate.None;
    }

    [Theory]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)]
    public async Task FarmHost_Provider_GivesTheFactorysGateOrNone(string provider, bool exclusive)
    {
        var data = Directory.CreateTempSubdirectory("crosswiki-gate-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Farm:DataDirectory"] = data,
            ["Farm:Database:Provider"] = provider,
            ["Farm:Wikis:gatewiki:Server"] = "http://127.0.0.1:9",
        };
        if (provider == "postgres")
        {
            // Never connected to: only the services are built.
            settings["Farm:Database:ConnectionString"] = "Host=127.0.0.1;Port=9;Database=none";
        }

        await using (var app = FarmHost.Build([], null, settings))
        {
            var gate = app.Services.GetRequiredService<WriteGate>();

            Assert.Equal(exclusive, gate.IsExclusive);
            if (exclusive)
            {
                var factory = Assert.IsType<WikiDbContextFactory>(app.Services.GetRequiredService<IDbContextFactory<WikiDbContext>>());
                Assert.Same(factory.Writes, gate);
            }
            else
            {
                Assert.Same(WriteGate.None, gate);
            }
        }

        Directory.Delete(data, recursive: true);
    }
}
