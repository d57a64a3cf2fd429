namespace Dockyard.Server.Audit;

/// <summary>
/// The result of walking the chain: <see cref="Ok"/> with the number of entries checked, or the first broken entry
/// (<see cref="BrokenId"/>) and why. <see cref="LastId"/>/<see cref="LastHash"/> identify the head: keep them
/// elsewhere (the SIEM has them too) to detect truncation of the newest entries, which a chain alone cannot.
/// </summary>
internal sealed record AuditVerification(bool Ok, long Checked, long? BrokenId, string? Reason, long? LastId, string? LastHash);
