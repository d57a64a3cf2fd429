using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Dockyard.Registry.Storage.S3;

/// <summary>The one place an <see cref="IAmazonS3"/> is configured from <see cref="S3StorageOptions"/>.</summary>
internal static class S3ClientFactory
{
    /// <summary>Builds an S3 client for <paramref name="options"/>, with checksums only where S3 requires them (Ceph 16 rejects the rest).</summary>
    public static IAmazonS3 Create(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.Endpoint;
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
