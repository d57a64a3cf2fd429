using Dockyard.Server.Coordination;

namespace Dockyard.Server.Events;

/// <summary>
/// One dispatcher of <c>registry_outbox</c> at a time across replicas: the <c>events</c> row of the database leases
/// (<see cref="DatabaseRegistryLocks"/>) when replicas may share the database, nothing to take on a single node. A
/// replica that dies holding it delays delivery by at most <see cref="CoordinationOptions.LeaseDuration"/>.
/// </summary>
internal sealed class RegistryOutboxLease(DatabaseRegistryLocks? locks)
{
    public const string Key = "events";

    /// <summary>The lease (disposing releases it), or null while another replica holds it.</summary>
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken) =>
        locks is null ? NoLease.Instance : await locks.TryAcquireAsync(Key, cancellationToken);

    private sealed class NoLease : IAsyncDisposable
    {
        public static readonly NoLease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
