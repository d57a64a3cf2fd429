namespace Dockyard.Server.Policies;

/// <summary>What happened to one manifest of an untagged-manifest delete.</summary>
internal enum UntaggedOutcome
{
    Deleted,

    /// <summary>Left alone on purpose (tagged, referenced, not found); the reason says which.</summary>
    Skipped,

    /// <summary>The registry refused or failed the delete (an immutable tag rule, …); recorded in the audit trail.</summary>
    Failed,
}
