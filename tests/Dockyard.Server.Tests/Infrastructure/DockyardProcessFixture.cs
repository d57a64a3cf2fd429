namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>One Dockyard server process shared by a test collection.</summary>
public sealed class DockyardProcessFixture : IAsyncLifetime
{
    private DockyardProcess? _server;

    public DockyardProcess Server => _server ?? throw new InvalidOperationException("The Dockyard server fixture is not initialized.");

    public async Task InitializeAsync() => _server = await DockyardProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
