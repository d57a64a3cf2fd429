namespace Dockyard.Server.Trust.Signatures;

/// <summary>A verdict in short, for lists: the state and who signed validly (<c>org/team</c>, or <c>org/key</c> for an organization-wide key).</summary>
internal sealed record SignatureSummary(SignatureState State, IReadOnlyList<string> Signers)
{
    public static SignatureSummary Of(ImageTrust trust) => new(trust.State, SignersOf(trust));

    /// <summary>The distinct signers of the valid signatures, in order of appearance.</summary>
    public static IReadOnlyList<string> SignersOf(ImageTrust trust) =>
        [.. trust.Signatures.Where(s => s.Valid).Select(SignerOf).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary><c>org/team</c> for a team's key, <c>org/key</c> for an organization's; null when no key verified it.</summary>
    public static string? SignerOf(SignatureVerdict verdict) =>
        verdict.Team ?? (verdict.Organization is { } organization && verdict.KeyName is { } key ? $"{organization}/{key}" : null);
}
