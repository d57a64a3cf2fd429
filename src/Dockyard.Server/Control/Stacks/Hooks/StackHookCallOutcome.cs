namespace Dockyard.Server.Control.Stacks.Hooks;

/// <summary>How a hook call ends (the endpoint maps it to 202, 404, 429 or 503).</summary>
internal enum StackHookCallOutcome
{
    Accepted,

    /// <summary>Unknown stack, wrong token, or a creator who can no longer deploy: one answer for all (no oracle).</summary>
    NotFound,

    /// <summary>Over a per-address or per-stack limit; retry after <see cref="StackHookCallResult.RetryAfter"/>.</summary>
    Limited,

    /// <summary>The redeploy queue is full.</summary>
    Busy,
}
