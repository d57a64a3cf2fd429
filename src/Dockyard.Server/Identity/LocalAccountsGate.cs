namespace Dockyard.Server.Identity;

/// <summary>
/// Holds local password sign-ins until the first start's administrator exists. That account is created in the
/// background after the server starts listening (its password hash alone costs ~0.3 s of CPU), so a sign-in that
/// arrives in that window waits for it instead of being refused.
/// </summary>
internal sealed class LocalAccountsGate
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at once when the gate is open (every request after the first moments of a start).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) =>
        _open.Task.IsCompleted ? Task.CompletedTask : _open.Task.WaitAsync(cancellationToken);

    /// <summary>Lets sign-ins through, for good; also after a failed bootstrap (the server is stopping then).</summary>
    public void Open() => _open.TrySetResult();
}
