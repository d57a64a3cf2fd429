using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// The whole Dockyard app on real Kestrel, on a random loopback port, with its own temporary data directory.
/// Restartable on the same data directory to test what survives a restart.
/// </summary>
public sealed class InProcessDockyard : IAsyncDisposable
{
    private readonly Action<WebApplicationBuilder>? _configure;
    private readonly bool _ownsDataDirectory;
    private readonly bool _waitForAdministrator;
    private WebApplication? _app;

    private readonly IReadOnlyDictionary<string, string?> _settings;

    private InProcessDockyard(
        string dataDirectory,
        bool ownsDataDirectory,
        Action<WebApplicationBuilder>? configure,
        IReadOnlyDictionary<string, string?>? settings,
        bool waitForAdministrator)
    {
        _waitForAdministrator = waitForAdministrator;
        _settings = settings ?? new Dictionary<string, string?>();
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        _configure = configure;
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Not started.");

    /// <summary>
    /// Starts a server; <paramref name="settings"/> override configuration keys (e.g. <c>Dockyard:Auth:Enabled</c>).
    /// <paramref name="database"/> picks where metadata lives (default SQLite in the data directory); a PostgreSQL
    /// database is created fresh for the server. To share one database between servers, pass its settings instead.
    /// Unless <paramref name="waitForAdministrator"/> is false, it returns once the first start's administrator
    /// exists, which a real start may still be creating after it listens.
    /// </summary>
    public static async Task<InProcessDockyard> StartAsync(
        Action<WebApplicationBuilder>? configure = null,
        string? dataDirectory = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        TestDatabase? database = null,
        bool waitForAdministrator = true)
    {
        var owns = dataDirectory is null;
        if (database is not null)
        {
            var merged = await database.CreateAsync();
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                merged[key] = value;
            }

            settings = merged;
        }

        dataDirectory ??= Directory.CreateTempSubdirectory("dockyard-test-").FullName;
        var host = new InProcessDockyard(dataDirectory, owns, configure, settings, waitForAdministrator);
        await host.StartCoreAsync();
        return host;
    }

    public HttpClient CreateClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    /// <summary>Stops the app gracefully and starts a new one on the same data directory (new port).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartCoreAsync();
    }

    public T GetRequiredService<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory must not fail a test.
            }
        }
    }

    private async Task StartCoreAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            [DataDirectoryOptions.Key] = DataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
            // Registry-core tests exercise the protocol; identity tests turn authentication on explicitly.
            ["Dockyard:Auth:Enabled"] = "false",
            // Tests that move a fake clock must not trigger a scheduled collection; GC tests turn it on explicitly.
            ["Dockyard:GarbageCollection:Enabled"] = "false",

            // Many servers share the test process; one quiet spell would run a full collection per server.
            ["Dockyard:Memory:TrimWhenIdle"] = "false",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        _app = DockyardApp.Build(settings, _configure);
        await _app.StartAsync();
        if (_waitForAdministrator)
        {
            await _app.Services.GetRequiredService<AdminBootstrapper>().Begin();
        }

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    private async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
