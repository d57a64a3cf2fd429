using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Identity;

/// <summary>
/// Per-address limits in front of password checks, in this replica's memory (System.Threading.RateLimiting, the
/// limiters behind ASP.NET Core's rate-limiting middleware): a token bucket for the rate at which an address may
/// start password sign-ins, and a concurrency limit for how many it may have running. They sit here rather than on
/// the endpoint because only password checks cost a hash: token requests with an access token, anonymous pulls
/// and the rest of <c>/auth/token</c> must not be slowed by them. N replicas behind a balancer allow up to N times
/// the configured numbers; the failure counters in the database are what holds across replicas.
/// </summary>
internal sealed class PasswordAttemptLimiter : IDisposable
{
    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    private readonly PartitionedRateLimiter<string>? _rate;
    private readonly PartitionedRateLimiter<string>? _running;

    public PasswordAttemptLimiter(IOptions<LoginThrottleOptions> options)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        if (settings.AddressBurst > 0 && settings.AddressAttemptsPerMinute > 0)
        {
            var refill = TimeSpan.FromMinutes(1) / settings.AddressAttemptsPerMinute;
            _rate = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.AddressBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = refill,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        }

        if (settings.ConcurrentChecksPerAddress > 0)
        {
            _running = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetConcurrencyLimiter(address, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = settings.ConcurrentChecksPerAddress,
                QueueLimit = settings.ConcurrentChecksPerAddress * 16,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
        }
    }

    /// <summary>Takes one attempt from the address's bucket; null when allowed, else how long until the next one is.</summary>
    public TimeSpan? TryStart(string addressKey)
    {
        if (_rate is null)
        {
            return null;
        }

        using var lease = _rate.AttemptAcquire(addressKey);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? RoundUp(retryAfter) : BusyRetryAfter;
    }

    /// <summary>
    /// Waits for one of the address's check slots. The lease must be disposed when the check ends; a refused lease
    /// (too many already waiting) means the attempt is answered with 429 at once.
    /// </summary>
    public async ValueTask<RateLimitLease?> EnterAsync(string addressKey, CancellationToken cancellationToken) =>
        _running is null ? null : await _running.AcquireAsync(addressKey, 1, cancellationToken);

    public static TimeSpan RetryAfterOf(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? RoundUp(retryAfter) : BusyRetryAfter;

    public void Dispose()
    {
        _rate?.Dispose();
        _running?.Dispose();
    }

    private static TimeSpan RoundUp(TimeSpan value) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(value.TotalSeconds)));
}
