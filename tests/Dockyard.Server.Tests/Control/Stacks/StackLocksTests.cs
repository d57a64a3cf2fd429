using Dockyard.Registry.Coordination;
using Dockyard.Server.Control.Stacks;
using Dockyard.Server.Coordination;
using Dockyard.Server.Errors;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Tests.Control.Stacks;

/// <summary>The per-stack lock: a wait past the acquire timeout is a 409 conflict, other stacks and invalid names are not held up.</summary>
public sealed class StackLocksTests
{
    private static StackLocks Locks(IRegistryLocks inner) =>
        new(inner, Options.Create(new CoordinationOptions { AcquireTimeout = TimeSpan.FromMilliseconds(200) }), TimeProvider.System);

    [Fact]
    public async Task A_held_stack_answers_a_conflict_after_the_acquire_timeout_and_is_free_again_once_released()
    {
        var locks = Locks(new ProcessRegistryLocks());
        var held = await locks.AcquireAsync("shop", CancellationToken.None);

        var busy = await Assert.ThrowsAsync<DomainException>(() => locks.AcquireAsync("shop", CancellationToken.None));
        Assert.Equal(DomainErrorKind.Conflict, busy.Kind);
        Assert.Contains("stack shop", busy.Message, StringComparison.Ordinal);

        await using (await locks.AcquireAsync("other", CancellationToken.None))
        {
            // another stack is not held up
        }

        await using (await locks.AcquireAsync("Not A Name", CancellationToken.None))
        {
            // no lock for a name the operation refuses itself
        }

        await held.DisposeAsync();
        await using (await locks.AcquireAsync("shop", CancellationToken.None))
        {
        }
    }

    [Fact]
    public async Task A_caller_that_gives_up_is_cancelled_not_refused()
    {
        var locks = Locks(new ProcessRegistryLocks());
        await using var held = await locks.AcquireAsync("shop", CancellationToken.None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => locks.AcquireAsync("shop", cancelled.Token));
    }
}
