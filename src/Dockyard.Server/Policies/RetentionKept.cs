namespace Dockyard.Server.Policies;

/// <summary>A tag or untagged manifest retention looked at and kept, with the rule that kept it.</summary>
internal sealed record RetentionKept(string Reference, string Reason);
