namespace Dockyard.Server.Trust.Keys;

/// <summary>The current <see cref="TrustKeySnapshot"/>: reloaded at once after a change through this process, within a short TTL after one through another replica.</summary>
internal sealed class TrustKeyRing
{
    public ValueTask<TrustKeySnapshot> GetAsync(CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Called after every key change.</summary>
    public void Invalidate() => throw new NotImplementedException();
}
