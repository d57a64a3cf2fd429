namespace Dockyard.Server.Audit;

/// <summary>The outcome column's values.</summary>
internal static class AuditOutcomes
{
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Failed = "failed";
}
