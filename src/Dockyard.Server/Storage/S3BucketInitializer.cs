using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.S3;

namespace Dockyard.Server.Storage;

/// <summary>
/// On start, checks that the S3 bucket is reachable (creating it when <c>Dockyard:Storage:S3:CreateBucket</c> is
/// set), so a wrong bucket or credentials fail the start rather than the first push.
/// </summary>
internal sealed partial class S3BucketInitializer(IStorageDriver storage, ILogger<S3BucketInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage is S3StorageDriver s3)
        {
            await s3.InitializeAsync(cancellationToken);
            LogReady(logger, s3.BucketName);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "S3 storage ready: bucket {Bucket}")]
    private static partial void LogReady(ILogger logger, string bucket);
}
