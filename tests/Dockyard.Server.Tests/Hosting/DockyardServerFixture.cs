namespace Dockyard.Server.Tests.Hosting;

/// <summary>One in-process server shared by a test class; tests isolate themselves by using unique repository names.</summary>
public sealed class DockyardServerFixture : IAsyncLifetime
{
    private InProcessDockyard? _server;

    public InProcessDockyard Server => _server ?? throw new InvalidOperationException("Fixture not initialized.");

    public async Task InitializeAsync() => _server = await InProcessDockyard.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
