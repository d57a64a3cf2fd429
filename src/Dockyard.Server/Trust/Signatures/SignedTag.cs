namespace Dockyard.Server.Trust.Signatures;

/// <summary>A tag with what its image's signatures amount to.</summary>
internal sealed record SignedTag(string Name, string Digest, DateTimeOffset PushedAt, ImageTrust Trust, long PullCount = 0, DateTimeOffset? LastPulledAt = null);
