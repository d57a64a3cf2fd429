using Dockyard.Registry.Errors;

namespace Dockyard.Registry.Policies;

/// <summary>No policies: every tag may move and every blob may be stored. The default when the host adds none.</summary>
public sealed class AllowAllWritePolicy : IRegistryWritePolicy
{
    public ValueTask<RegistryException?> CheckTagChangeAsync(RepositoryName repository, string tag, TagChange change, CancellationToken cancellationToken) =>
        ValueTask.FromResult<RegistryException?>(null);

    public ValueTask<IAsyncDisposable?> AdmitContentAsync(RepositoryName repository, Digest digest, long size, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IAsyncDisposable?>(null);
}
