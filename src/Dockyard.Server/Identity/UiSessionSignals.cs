using System.Collections.Concurrent;

namespace Dockyard.Server.Identity;

/// <summary>
/// Lets long-lived work done for a UI session (an open terminal) stop the moment that session ends on this replica:
/// <see cref="UiSessionStore"/> and sign-out-everywhere raise <see cref="Ended"/> / <see cref="EndedForUser"/>, and
/// every <see cref="Watch"/> token of the session fires. Another replica's sign-out is not seen here; work that must
/// stop there too re-checks the session (<see cref="UiSessionStore.IsOpenAsync"/>) from time to time.
/// </summary>
internal sealed class UiSessionSignals
{
    private readonly ConcurrentDictionary<Watcher, byte> _watchers = new();

    /// <summary>A token that fires when session <paramref name="sessionId"/> of <paramref name="userId"/> ends; dispose the watch when the work is done.</summary>
    public UiSessionWatch Watch(long sessionId, long userId)
    {
        var watcher = new Watcher(sessionId, userId, new CancellationTokenSource());
        _watchers.TryAdd(watcher, 0);
        return new UiSessionWatch(watcher.Source.Token, () =>
        {
            _watchers.TryRemove(watcher, out _);
            watcher.Source.Dispose();
        });
    }

    /// <summary>Session <paramref name="sessionId"/> ended (signed out, revoked).</summary>
    public void Ended(long sessionId) => Cancel(w => w.SessionId == sessionId);

    /// <summary>Every session of <paramref name="userId"/> ended but <paramref name="exceptSessionId"/>.</summary>
    public void EndedForUser(long userId, long? exceptSessionId = null) => Cancel(w => w.UserId == userId && w.SessionId != exceptSessionId);

    /// <summary>Open watches, for tests and metrics.</summary>
    public int Count => _watchers.Count;

    private void Cancel(Func<Watcher, bool> matches)
    {
        foreach (var watcher in _watchers.Keys)
        {
            if (matches(watcher))
            {
                try
                {
                    watcher.Source.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The work ended meanwhile.
                }
            }
        }
    }

    private sealed class Watcher(long sessionId, long userId, CancellationTokenSource source)
    {
        public long SessionId => sessionId;

        public long UserId => userId;

        public CancellationTokenSource Source => source;
    }
}
