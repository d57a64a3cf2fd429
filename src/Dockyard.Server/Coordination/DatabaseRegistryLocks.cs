using Dockyard.Registry.Coordination;
using Dockyard.Registry.Errors;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Coordination;

/// <summary>
/// <see cref="IRegistryLocks"/> across replicas: a row in <c>leases</c> claimed with one conditional upsert (taken only
/// when free or expired), renewed every third of <see cref="CoordinationOptions.LeaseDuration"/> while held, deleted on
/// release. The in-process lock is taken first, so requests of one replica queue in memory and at most one per replica
/// polls the database. Lease expiry uses the replicas' clocks: they must agree to well within the lease duration.
/// </summary>
internal sealed partial class DatabaseRegistryLocks(
    ProcessRegistryLocks local,
    IDbContextFactory<DockyardDbContext> contexts,
    IOptions<CoordinationOptions> options,
    TimeProvider time,
    ILogger<DatabaseRegistryLocks> logger) : IRegistryLocks
{
    private TimeProvider Clock => time;

    private TimeSpan LeaseDuration => options.Value.LeaseDuration;

    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    private TimeSpan RenewInterval => options.Value.LeaseDuration / 3;

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, time, cancellationToken);

    public async ValueTask<IAsyncDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        var held = await local.AcquireAsync(key, cancellationToken);
        try
        {
            var holder = Guid.NewGuid().ToString("N");
            var started = time.GetTimestamp();
            var delay = TimeSpan.FromMilliseconds(5);
            while (!await TryClaimAsync(key, holder, cancellationToken))
            {
                if (time.GetElapsedTime(started) >= options.Value.AcquireTimeout)
                {
                    LogBusy(key, options.Value.AcquireTimeout);
                    throw new RegistryException(RegistryErrorCode.TooManyRequests, "Another request is working on this resource; retry later.", null);
                }

                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
            }

            return new Lease(this, key, holder, held);
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    /// <summary>Takes <paramref name="key"/> when nobody holds it (no waiting); null otherwise. Disposing releases it.</summary>
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken cancellationToken)
    {
        var held = await local.AcquireAsync(key, cancellationToken);
        try
        {
            var holder = Guid.NewGuid().ToString("N");
            if (await TryClaimAsync(key, holder, cancellationToken))
            {
                return new Lease(this, key, holder, held);
            }
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }

        await held.DisposeAsync();
        return null;
    }

    private async Task<bool> TryClaimAsync(string key, string holder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.LeaseDuration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The DO UPDATE's WHERE makes the upsert a compare-and-set: it changes nothing while a live lease exists.
        var changed = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO leases (name, holder, expires_at) VALUES ({key}, {holder}, {expires.UtcTicks})
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.expires_at < {now.UtcTicks}
            """,
            cancellationToken);
        return changed == 1;
    }

    private async Task<bool> RenewAsync(string key, string holder, CancellationToken cancellationToken)
    {
        var expires = time.GetUtcNow() + options.Value.LeaseDuration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE leases SET expires_at = {expires.UtcTicks} WHERE name = {key} AND holder = {holder}",
            cancellationToken);
        return changed == 1;
    }

    private async Task ReleaseAsync(string key, string holder)
    {
        // Also sweeps leases of replicas that died long ago on keys nobody touched since (e.g. their upload sessions).
        var stale = time.GetUtcNow() - StaleAfter;
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM leases WHERE (name = {key} AND holder = {holder}) OR expires_at < {stale.UtcTicks}",
            CancellationToken.None);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Lock {Key} stayed held by another request for {Timeout}; answering 429")]
    private partial void LogBusy(string key, TimeSpan timeout);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Lease {Key} was lost while held (this replica stalled past the lease duration, or the clocks disagree)")]
    private partial void LogLost(string key);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Renewing or releasing lease {Key} failed")]
    private partial void LogLeaseFailed(Exception error, string key);

    /// <summary>A held lease: renews itself in the background until disposed.</summary>
    private sealed class Lease : IAsyncDisposable
    {
        private readonly DatabaseRegistryLocks _owner;
        private readonly string _key;
        private readonly string _holder;
        private readonly IAsyncDisposable _local;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;
        private int _disposed;

        public Lease(DatabaseRegistryLocks owner, string key, string holder, IAsyncDisposable local)
        {
            _owner = owner;
            _key = key;
            _holder = holder;
            _local = local;
            _renewal = RenewLoopAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            await _stop.CancelAsync();
            await _renewal;
            try
            {
                await _owner.ReleaseAsync(_key, _holder);
            }
            catch (Exception error)
            {
                // The lease then expires on its own; the next holder waits at most the lease duration.
                _owner.LogLeaseFailed(error, _key);
            }
            finally
            {
                _stop.Dispose();
                await _local.DisposeAsync();
            }
        }

        private async Task RenewLoopAsync()
        {
            var interval = _owner.RenewInterval;
            var renewed = _owner.Clock.GetTimestamp();
            try
            {
                while (true)
                {
                    await _owner.DelayAsync(interval, _stop.Token);
                    try
                    {
                        if (!await _owner.RenewAsync(_key, _holder, _stop.Token))
                        {
                            _owner.LogLost(_key);
                            return;
                        }

                        renewed = _owner.Clock.GetTimestamp();
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        _owner.LogLeaseFailed(error, _key);
                        if (_owner.Clock.GetElapsedTime(renewed) >= _owner.LeaseDuration)
                        {
                            // Expired by now: another replica may hold it; stop trying.
                            _owner.LogLost(_key);
                            return;
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // released
            }
        }
    }
}
