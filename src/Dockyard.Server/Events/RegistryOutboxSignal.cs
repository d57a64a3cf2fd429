namespace Dockyard.Server.Events;

/// <summary>
/// Wakes <see cref="RegistryOutboxDispatcher"/> when this process has just committed an outbox row, so local events
/// are handed over at once instead of at the next poll. Wakes coalesce: one pending wake covers any number of rows.
/// </summary>
internal sealed class RegistryOutboxSignal(TimeProvider time)
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake is already pending.
        }
    }

    /// <summary>Returns when woken or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // timed out: poll
        }
    }
}
