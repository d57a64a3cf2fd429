using Dockyard.Registry.Storage.S3;

namespace Dockyard.Registry.Tests.Storage;

public sealed class S3StorageOptionsTests
{
    private static readonly S3StorageOptions Valid = new() { Bucket = "b", Endpoint = "http://127.0.0.1:7480", AccessKey = "AK", SecretKey = "very-secret" };

    [Fact]
    public void Validate_Defaults_WithBucket_IsValid()
    {
        Assert.Empty(Valid.Validate());
        Assert.Empty(new S3StorageOptions { Bucket = "b" }.Validate());
    }

    [Fact]
    public void Validate_EachProblem_NamedWithItsKey()
    {
        var errors = new S3StorageOptions { Endpoint = "127.0.0.1:7480", AccessKey = "AK", PartSize = 1, RedirectExpiry = TimeSpan.Zero, MaxConcurrency = 0 }.Validate();

        Assert.Contains("Dockyard:Storage:S3:Bucket is required.", errors);
        Assert.Contains(errors, e => e.StartsWith("Dockyard:Storage:S3:Endpoint '127.0.0.1:7480'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("AccessKey and SecretKey", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dockyard:Storage:S3:PartSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dockyard:Storage:S3:RedirectExpiry", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Dockyard:Storage:S3:MaxConcurrency", StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_NeverContainsTheSecret()
    {
        Assert.DoesNotContain("very-secret", Valid.ToString(), StringComparison.Ordinal);
        Assert.Contains("AK", Valid.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithTheMessages()
    {
        var error = Assert.Throws<ArgumentException>(() => new S3StorageDriver(new S3StorageOptions(), TimeProvider.System));

        Assert.Contains("Bucket is required", error.Message, StringComparison.Ordinal);
    }
}
