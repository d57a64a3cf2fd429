using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>
/// Fixed one-minute windows in front of the redeploy hook, per client address and per stack name, in this replica's
/// memory (System.Threading.RateLimiting; N replicas allow up to N times the numbers). Every call counts, right or
/// wrong token: that is what stops guessing. The price is that a flood of wrong tokens can hold a stack's hook
/// closed for the rest of a minute; the address window makes that take many addresses.
/// </summary>
internal sealed class StackHookLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly PartitionedRateLimiter<string> _stacks;

    public StackHookLimiter(IOptions<StackHookOptions> options)
    {
        _addresses = Create(options.Value.CallsPerAddressPerMinute);
        _stacks = Create(options.Value.CallsPerStackPerMinute);
    }

    /// <summary>Takes one call from the address's window, then the stack's; null when allowed, else when to retry.</summary>
    public TimeSpan? TryCall(string address, string stack)
    {
        using var byAddress = _addresses.AttemptAcquire(address);
        if (!byAddress.IsAcquired)
        {
            return RetryAfterOf(byAddress);
        }

        using var byStack = _stacks.AttemptAcquire(stack);
        return byStack.IsAcquired ? null : RetryAfterOf(byStack);
    }

    public void Dispose()
    {
        _addresses.Dispose();
        _stacks.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, perMinute),
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private static TimeSpan RetryAfterOf(RateLimitLease lease) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(
            (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window).TotalSeconds)));
}
