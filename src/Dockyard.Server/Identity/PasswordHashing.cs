using Microsoft.Extensions.Options;

namespace Dockyard.Server.Identity;

/// <summary>
/// The sign-in side of <see cref="PasswordHasher"/>: every PBKDF2 verification a sign-in performs, real or
/// equalizing, runs here, at most <see cref="LoginThrottleOptions.MaxConcurrentHashes"/> at a time in this process,
/// so a flood of bogus logins queues behind the limit instead of taking every core from the rest of the server.
/// The limit is per replica. The counters are for metrics and tests (they prove the mechanism, not the timing).
/// </summary>
internal sealed class PasswordHashing : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private long _verifications;
    private long _equalizing;
    private int _running;
    private int _peak;

    public PasswordHashing(IOptions<LoginThrottleOptions> options)
    {
        var limit = options.Value.MaxConcurrentHashes;
        MaxConcurrency = limit > 0 ? limit : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(MaxConcurrency, MaxConcurrency);
    }

    /// <summary>How many verifications may run at once in this process.</summary>
    public int MaxConcurrency { get; }

    /// <summary>Verifications performed so far (real and equalizing).</summary>
    public long Verifications => Interlocked.Read(ref _verifications);

    /// <summary>Verifications against <see cref="PasswordHasher.DummyHash"/>, paid by failed sign-ins that had no hash of their own to check.</summary>
    public long EqualizingVerifications => Interlocked.Read(ref _equalizing);

    /// <summary>The most verifications that ran at the same time.</summary>
    public int PeakConcurrency => Volatile.Read(ref _peak);

    /// <summary><see cref="PasswordHasher.Verify"/> within the concurrency limit.</summary>
    public async Task<bool> VerifyAsync(string password, string? encoded, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var running = Interlocked.Increment(ref _running);
            int peak;
            while (running > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, running, peak) != peak)
            {
            }

            Interlocked.Increment(ref _verifications);
            return PasswordHasher.Verify(password, encoded);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
    }

    /// <summary>
    /// Spends what a real verification costs, so a failed sign-in takes as long whichever way it failed (unknown
    /// user, a directory's fast refusal) and response time does not tell which usernames exist.
    /// </summary>
    public Task EqualizeAsync(string password, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _equalizing);
        return VerifyAsync(password, PasswordHasher.DummyHash, cancellationToken);
    }

    public void Dispose() => _slots.Dispose();
}
