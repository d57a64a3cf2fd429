using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Server.Coordination;
using Dockyard.Server.Errors;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// One state-changing operation per stack at a time (deploy, update, rollback, redeploy, scale, service rollback,
/// remove, adopt), with the coordination locks: in-process on a single node, database leases across replicas. Without
/// it two deploys race on the revision number and may leave the swarm running one while the record names the other.
/// Waiting longer than <see cref="CoordinationOptions.AcquireTimeout"/> is a 409 (another operation on the stack is
/// running), the same answer as any other conflict on the stack's state.
/// </summary>
internal sealed class StackLocks(IRegistryLocks locks, IOptions<CoordinationOptions> options, TimeProvider time)
{
    /// <summary>
    /// Waits for stack <paramref name="name"/>'s lock; disposing the result releases it. A name that is no stack name
    /// takes no lock (lock keys never come raw from a request): the operation refuses that name itself.
    /// </summary>
    public async Task<IAsyncDisposable> AcquireAsync(string? name, CancellationToken cancellationToken) =>
        StackNames.IsValid(name) ? await AcquireValidAsync(name!, cancellationToken) : NoLock.Instance;

    private async Task<IAsyncDisposable> AcquireValidAsync(string name, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.AcquireTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await locks.AcquireAsync("stack:" + name, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Busy(name);
        }
        catch (RegistryException error) when (error.Code == RegistryErrorCode.TooManyRequests)
        {
            throw Busy(name);
        }
    }

    private static DomainException Busy(string name) =>
        DomainException.Conflict($"Another operation on stack {name} is still running (deploy, update, rollback, redeploy, scale or remove); retry when it has finished.");

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
