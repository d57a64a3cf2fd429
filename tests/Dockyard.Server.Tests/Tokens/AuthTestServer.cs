using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>An in-process server with token authentication on, a fake clock, and a seeding helper.</summary>
internal sealed class AuthTestServer : IAsyncDisposable
{
    private AuthTestServer(InProcessDockyard server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
        Seed = new IdentitySeed(server.GetRequiredService<IDbContextFactory<DockyardDbContext>>(), time);
    }

    public InProcessDockyard Server { get; }

    public FakeTimeProvider Time { get; }

    public IdentitySeed Seed { get; }

    public static async Task<AuthTestServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var all = new Dictionary<string, string?> { ["Dockyard:Auth:Enabled"] = "true" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var server = await InProcessDockyard.StartAsync(builder => builder.Services.AddSingleton<TimeProvider>(time), settings: all);
        return new AuthTestServer(server, time);
    }

    public T Get<T>()
        where T : notnull => Server.GetRequiredService<T>();

    public HttpClient CreateClient() => Server.CreateClient();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
