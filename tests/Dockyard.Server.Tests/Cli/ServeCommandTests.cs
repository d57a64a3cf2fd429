using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Cli;

/// <summary>`dockyard serve` as a real process: how it ends.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Sigterm_StopsGracefully_WithExitCode0AndNoUnhandledException()
    {
        await using var server = await DockyardProcess.StartAsync();

        var exitCode = await server.StopAsync(TimeSpan.FromSeconds(60));

        Assert.False(server.Output.Contains("Unhandled exception", StringComparison.Ordinal), server.Output);
        Assert.Equal(0, exitCode);
        Assert.Contains("Application is shutting down", server.Output, StringComparison.Ordinal);
    }
}
