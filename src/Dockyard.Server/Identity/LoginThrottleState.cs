namespace Dockyard.Server.Identity;

/// <summary>What the counters say about one sign-in before its credentials are checked.</summary>
/// <param name="AddressRetryAfter">Set while the source address is locked: answered with 429 (it says nothing about the account).</param>
/// <param name="PairLocked">The username is locked for this address only: answered exactly like wrong credentials.</param>
/// <param name="UserDelay">How long a password check of this username waits first (the account-wide exponential delay).</param>
internal readonly record struct LoginThrottleState(TimeSpan? AddressRetryAfter, bool PairLocked, TimeSpan UserDelay)
{
    public static LoginThrottleState Open => default;
}
