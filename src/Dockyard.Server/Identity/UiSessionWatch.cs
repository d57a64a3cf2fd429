namespace Dockyard.Server.Identity;

/// <summary>One <see cref="UiSessionSignals.Watch"/>: <see cref="Ended"/> fires when the session ends on this replica.</summary>
internal sealed class UiSessionWatch(CancellationToken ended, Action release) : IDisposable
{
    private Action? _release = release;

    public CancellationToken Ended { get; } = ended;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
