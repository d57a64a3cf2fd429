namespace Dockyard.Server.Access;

/// <summary>An authorization answer with the rule that gave it, for audit details and messages.</summary>
internal sealed record Decision(bool Allowed, string Reason)
{
    public static Decision Allow(string reason) => new(true, reason);

    public static Decision Deny(string reason) => new(false, reason);
}
