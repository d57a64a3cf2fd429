using Dockyard.Server.Api;

namespace Dockyard.Server.Tests.Api;

public sealed class RepositoryPathTests
{
    [Theory]
    [InlineData("prod/app/webhooks", "webhooks", "prod/app", null)]
    [InlineData("prod/app/webhooks/", "webhooks", "prod/app", null)]
    [InlineData("prod/tools/cli/webhooks/12", "webhooks/{id}", "prod/tools/cli", 12L)]
    [InlineData("a/webhooks/3/deliveries", "webhooks/{id}/deliveries", "a", 3L)]
    [InlineData("a/webhooks/3/test", "webhooks/{id}/test", "a", 3L)]
    [InlineData("a/webhooks/webhooks", "webhooks", "a/webhooks", null)]
    [InlineData("library/app/immutability-rules/999999999999999999", "immutability-rules/{id}", "library/app", 999999999999999999L)]
    [InlineData("a/retention/run", "retention/run", "a", null)]
    public void TryParse_PathOfShape_SplitsRepositoryAndId(string path, string shape, string repository, long? id)
    {
        Assert.True(RepositoryPath.TryParse(path, shape, out var parsed));
        Assert.Equal(repository, parsed.Repository.Value);
        Assert.Equal(id, parsed.Id);
    }

    [Theory]
    [InlineData("prod/app", "webhooks")]
    [InlineData("prod/app/permissions", "webhooks")]
    [InlineData("webhooks", "webhooks")]
    [InlineData("/webhooks", "webhooks")]
    [InlineData("prod/app/webhooks/x", "webhooks/{id}")]
    [InlineData("prod/app/webhooks/1/other", "webhooks/{id}/deliveries")]
    [InlineData("prod/app/webhooks/1", "webhooks")]
    [InlineData("prod/app/webhooks", "webhooks/{id}")]
    [InlineData("a/webhooks/1234567890123456789", "webhooks/{id}")]
    [InlineData("a/webhooks/+1", "webhooks/{id}")]
    [InlineData("a/retention/run", "retention")]
    [InlineData("Prod/App/webhooks", "webhooks")]
    [InlineData("a//webhooks", "webhooks")]
    [InlineData("a/webhooks//", "webhooks")]
    public void TryParse_OtherPathsOrInvalidNames_NoMatch(string path, string shape) =>
        Assert.False(RepositoryPath.TryParse(path, shape, out _));

    [Theory]
    [InlineData("acme/app/manifests/v1/signatures", "acme/app", "v1")]
    [InlineData("acme/app/manifests/sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/signatures", "acme/app", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void TryParse_ReferenceSegment_ParsesTagOrDigest(string path, string repository, string reference)
    {
        Assert.True(RepositoryPath.TryParse(path, "manifests/{reference}/signatures", out var parsed));
        Assert.Equal(repository, parsed.Repository.Value);
        Assert.Equal(reference, parsed.Reference?.ToString());
    }

    [Theory]
    [InlineData("acme/app/manifests/sha256:zz/signatures")]
    [InlineData("acme/app/manifests/-bad/signatures")]
    [InlineData("acme/app/manifests/signatures")]
    public void TryParse_ReferenceSegment_RefusesWhatIsNeitherTagNorDigest(string path) =>
        Assert.False(RepositoryPath.TryParse(path, "manifests/{reference}/signatures", out _));
}
