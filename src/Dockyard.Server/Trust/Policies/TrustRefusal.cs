namespace Dockyard.Server.Trust.Policies;

/// <summary>Why a signature policy refuses an image: <see cref="Message"/> names the policy and the signers missing (<c>org/team</c>, or "a trusted key of org").</summary>
internal sealed record TrustRefusal(long PolicyId, string Message, IReadOnlyList<string> MissingSigners);
