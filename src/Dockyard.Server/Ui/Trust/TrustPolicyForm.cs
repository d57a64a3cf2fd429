using Dockyard.Server.Trust.Policies;

namespace Dockyard.Server.Ui.Trust;

/// <summary>The "add signature policy" form of the organization page; <see cref="TrustPolicyService"/> validates every value.</summary>
public sealed class TrustPolicyForm
{
    public string? RepositoryPattern { get; set; }

    public string? Mode { get; set; }

    /// <summary>Teams picked from the organization's own (multi-select).</summary>
    public string[]? Teams { get; set; }

    /// <summary>More teams as text, <c>org/team</c> of other organizations, comma or space separated.</summary>
    public string? OtherTeams { get; set; }

    public bool EnforceDeploy { get; set; }

    public bool EnforcePull { get; set; }

    /// <summary>Pull checked for service accounts only (else for every caller).</summary>
    public bool ServiceAccountsOnly { get; set; }

    internal TrustPolicyInput ToInput() => new(
        RepositoryPattern,
        Mode,
        [.. (Teams ?? []).Concat((OtherTeams ?? string.Empty).Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
        EnforceDeploy,
        EnforcePull,
        ServiceAccountsOnly ? ["ServiceAccount"] : null);
}
