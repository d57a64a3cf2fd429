namespace Dockyard.Server.Audit;

/// <summary>
/// What an audited operation's authorization step decided. A refusal carries the reason recorded as the entry's
/// <c>denied</c> outcome and the typed error raised to the caller: usually a forbidden error with the same message,
/// or a not-found error where the caller may not even learn that the object exists (the record still says denied).
/// </summary>
internal sealed record AccessDecision
{
    public static readonly AccessDecision Allowed = new();

    private AccessDecision()
    {
    }

    /// <summary>Why the caller was refused (recorded, never secret); null when allowed.</summary>
    public string? Reason { get; private init; }

    /// <summary>The error raised to the caller when refused.</summary>
    public Exception? Error { get; private init; }

    public bool IsAllowed => Error is null;

    public static AccessDecision Deny(string reason, Exception error) => new() { Reason = reason, Error = error };
}
