using System.Globalization;

namespace Dockyard.Server.Ldap;

/// <summary>
/// Runs blocking directory conversations (the LDAP client library is synchronous) on dedicated threads, never on the
/// thread pool: at most <see cref="MaxConcurrent"/> at once, at most <see cref="MaxQueued"/> callers waiting for one
/// of them (more fail at once with "directory busy"), and every caller answered within the conversation's time limit
/// (queueing included) whether or not the directory answers. A conversation that outlives its caller keeps its slot
/// until libldap's own time limit (<see cref="LdapNativeTimeouts"/>) ends it, so a hung directory cannot pile up
/// threads. Time limits are wall-clock on purpose: they bound real network I/O.
/// </summary>
internal sealed partial class LdapDirectoryRunner(ILogger<LdapDirectoryRunner> logger)
{
    public const int MaxConcurrent = 8;
    public const int MaxQueued = 32;

    private readonly SemaphoreSlim _slots = new(MaxConcurrent, MaxConcurrent);
    private int _waiting;

    /// <summary>
    /// Runs <paramref name="work"/> on a dedicated thread and returns its result, or throws
    /// <see cref="LdapDirectoryException"/> when the directory is busy or <paramref name="timeout"/> passes first.
    /// The token given to <paramref name="work"/> is cancelled when its caller has given up on it.
    /// </summary>
    public async Task<T> RunAsync<T>(string url, TimeSpan timeout, Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > MaxQueued)
            {
                Interlocked.Decrement(ref _waiting);
                LogBusy(url);
                throw Busy(url);
            }

            try
            {
                if (!await _slots.WaitAsync(Remaining(deadline), cancellationToken))
                {
                    LogBusy(url);
                    throw Busy(url);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Not disposed: the worker may still read its token after the caller has left, and it holds no timer.
        var abandoned = new CancellationTokenSource();
        var thread = new Thread(
            () =>
            {
                try
                {
                    completion.TrySetResult(work(abandoned.Token));
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
                finally
                {
                    _slots.Release();
                }
            },
            maxStackSize: 512 * 1024)
        {
            IsBackground = true,
            Name = "ldap-directory",
        };
        thread.Start();

        try
        {
            return await completion.Task.WaitAsync(Remaining(deadline), cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            abandoned.Cancel();
            CleanUpWhenDone(completion.Task);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            LogTimedOut(url, timeout.TotalSeconds);
            throw new LdapDirectoryException(
                string.Create(CultureInfo.InvariantCulture, $"The directory at {url} did not answer within {timeout.TotalSeconds:0.###} s (connect, bind and search together).")) { TimedOut = true };
        }
    }

    /// <summary>A result that arrives after its caller left is disposed (an open session) and its failure observed.</summary>
    private static void CleanUpWhenDone<T>(Task<T> task) =>
        task.ContinueWith(
            static t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    (t.Result as IDisposable)?.Dispose();
                }
                else
                {
                    _ = t.Exception;
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private static TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - DateTimeOffset.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static LdapDirectoryException Busy(string url) => new(
        string.Create(CultureInfo.InvariantCulture, $"The directory at {url} is busy: {MaxConcurrent} operations are running and {MaxQueued} waiting. Try again later.")) { Busy = true };

    [LoggerMessage(EventId = 5141, Level = LogLevel.Warning, Message = "LDAP: {Url} did not answer within {Seconds} s; the operation was abandoned")]
    private partial void LogTimedOut(string url, double seconds);

    [LoggerMessage(EventId = 5142, Level = LogLevel.Warning, Message = "LDAP: refused an operation on {Url}, too many are already waiting for the directory")]
    private partial void LogBusy(string url);
}
