namespace Dockyard.Server.Tests.Hosting;

/// <summary>
/// A class fixture holding one server for a test class that is shared across databases: the first test starts it
/// on the class's <see cref="TestDatabase"/> (xunit 2 cannot hand a collection fixture to a class fixture, so the
/// test class passes its database in). Tests isolate themselves by unique repository names.
/// </summary>
public sealed class SharedDockyard : IAsyncLifetime
{
    private InProcessDockyard? _server;

    public async Task<InProcessDockyard> GetAsync(TestDatabase database) =>
        _server ??= await InProcessDockyard.StartAsync(database: database);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
