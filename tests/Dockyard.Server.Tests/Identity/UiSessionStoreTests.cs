using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Identity;

/// <summary>
/// The server enforces a UI session's lifetimes itself (the cookie's own expiry is the browser's business): idle
/// (<c>Dockyard:Ui:IdleTimeout</c>) and absolute (<c>Dockyard:Ui:AbsoluteTimeout</c>) as configured; last seen is
/// written at most once a minute; ended rows are pruned after 30 days (<see cref="UiSessionStore.PruneAsync"/>, which
/// the hourly maintenance job calls).
/// </summary>
/// <remarks>
/// Only the store runs on the fake clock, over the server's real database; the server keeps real time. With the whole
/// server on it, advancing 29 days fired every periodic timer once per period elapsed, millions of callbacks: the
/// test took 0.7 s alone, and 2–5 minutes of CPU in the full suite, or under load (seen: 2 min 56 s with two busy loops
/// beside it).
/// </remarks>
public sealed class UiSessionStoreTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private InProcessDockyard _server = null!;
    private UiSessionStore _store = null!;
    private long _userId;

    public async Task InitializeAsync()
    {
        _server = await InProcessDockyard.StartAsync(
            settings: new Dictionary<string, string?> { ["Dockyard:Ui:IdleTimeout"] = "00:30:00", ["Dockyard:Ui:AbsoluteTimeout"] = "02:00:00" });
        _store = ActivatorUtilities.CreateInstance<UiSessionStore>(_server.Services, (TimeProvider)_time);
        _userId = (await _server.GetRequiredService<UserService>().CreateLocalAsync(Caller.System, new NewUser("alice", "alice-password-1"), CancellationToken.None)).Id;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private UiSessionStore Store => _store;

    [Fact]
    public async Task IdleSession_EndsOnTheServer()
    {
        var (id, secret) = await Store.CreateAsync(_userId, "password", "10.0.0.1", new string('x', 1000), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.NotNull(await Store.ValidateAsync(secret, CancellationToken.None));

        _time.Advance(TimeSpan.FromMinutes(32));

        Assert.Null(await Store.ValidateAsync(secret, CancellationToken.None));
        var row = await RowAsync(id);
        Assert.Equal(UiSessionEndReasons.Expired, row.EndReason);
        Assert.Equal(UiSessionStore.MaxUserAgentLength, row.UserAgent!.Length);
    }

    [Fact]
    public async Task ActiveSession_EndsAtTheAbsoluteLimit_LastSeenWrittenAtMostOnceAMinute()
    {
        var (id, secret) = await Store.CreateAsync(_userId, "password", null, null, CancellationToken.None);
        var created = (await RowAsync(id)).LastSeenAt;
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull(await Store.ValidateAsync(secret, CancellationToken.None));
        Assert.Equal(created, (await RowAsync(id)).LastSeenAt);

        for (var elapsed = TimeSpan.FromSeconds(30); elapsed < TimeSpan.FromHours(2) - TimeSpan.FromMinutes(20); elapsed += TimeSpan.FromMinutes(20))
        {
            _time.Advance(TimeSpan.FromMinutes(20));
            Assert.NotNull(await Store.ValidateAsync(secret, CancellationToken.None));
        }

        Assert.True((await RowAsync(id)).LastSeenAt > created);
        _time.Advance(TimeSpan.FromMinutes(21));
        Assert.Null(await Store.ValidateAsync(secret, CancellationToken.None));
    }

    [Fact]
    public async Task EndedSessions_ArePrunedAfterThirtyDays()
    {
        var (ended, _) = await Store.CreateAsync(_userId, "password", null, null, CancellationToken.None);
        await Store.EndAsync(ended, UiSessionEndReasons.SignedOut, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(29));
        var (recent, _) = await Store.CreateAsync(_userId, "password", null, null, CancellationToken.None);
        await Store.EndAsync(recent, UiSessionEndReasons.SignedOut, CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(2));
        await Store.PruneAsync(CancellationToken.None);

        await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.Equal([recent], await db.UiSessions.Select(s => s.Id).ToListAsync());
    }

    private async Task<Dockyard.Server.Data.Entities.UiSessionEntity> RowAsync(long id)
    {
        await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.UiSessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }
}
