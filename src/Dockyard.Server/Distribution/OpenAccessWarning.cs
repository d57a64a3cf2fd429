using Dockyard.Server.Identity;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Distribution;

/// <summary>Says at start-up, as loudly as a log can, that the registry accepts anyone when authentication is off.</summary>
internal sealed partial class OpenAccessWarning(IOptions<AuthOptions> options, ILogger<OpenAccessWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            LogOpen(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 330, Level = LogLevel.Critical,
        Message = "AUTHENTICATION IS DISABLED (Dockyard:Auth:Enabled=false): anyone who can reach this server can pull, push and delete every repository. Use only for throwaway test instances.")]
    private static partial void LogOpen(ILogger logger);
}
