namespace Dockyard.Server.Data.Entities;

/// <summary>Failed-login counter for one key ("user:NAME" or "ip:ADDRESS"), shared by all replicas.</summary>
internal sealed class LoginThrottleEntity
{
    public required string Key { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset WindowStartedAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
}
