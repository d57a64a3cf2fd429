using Dockyard.Server.Access;
using Dockyard.Server.Accounts;

namespace Dockyard.Server.Api;

/// <summary>The effective permissions of one account on one repository (<see cref="RepositoryAccessEndpoints"/>).</summary>
internal sealed record RepositoryAccessResponse(
    string Repository,
    string Account,
    string AccountKind,
    bool Active,
    bool RepositoryExists,
    string Role,
    IReadOnlyList<string> Actions,
    bool Administer,
    IReadOnlyList<RepositoryAccessResponse.DecisionResponse> Decisions,
    IReadOnlyList<RepositoryAccessResponse.SourceResponse> Sources,
    IReadOnlyList<ControlPlaneGrant> ControlPlaneGrants)
{
    public static RepositoryAccessResponse From(string repository, RepositoryAccessExplanation explanation) => new(
        repository,
        explanation.Principal.Name,
        explanation.Principal.Kind == PrincipalKind.ServiceAccount ? "service-account" : "user",
        explanation.IsActive,
        explanation.RepositoryExists,
        RoleNames.Of(explanation.Role),
        RepositoryActionNames.Of(explanation.Actions),
        explanation.Decisions[Operation.RepositoryAdminister].Allowed,
        [.. RepositoryAccessExplanation.Operations.Select(o => new DecisionResponse(RepositoryAccessNames.Of(o), explanation.Decisions[o].Allowed, explanation.Decisions[o].Reason))],
        [.. explanation.Sources.Select(s => new SourceResponse(RepositoryAccessNames.Of(s.Kind), s.Subject, RoleNames.Of(s.Role), RepositoryActionNames.Of(s.Actions), s.Administers))],
        explanation.ControlPlaneGrants);

    /// <summary>One decision of the authorizer: <c>pull</c>, <c>push</c>, <c>delete</c> or <c>administer</c>.</summary>
    public sealed record DecisionResponse(string Operation, bool Allowed, string Reason);

    /// <summary>One contributing rule (<c>system-administrator</c>, <c>own-namespace</c>, <c>organization-owner</c>, …).</summary>
    public sealed record SourceResponse(string Kind, string Subject, string Role, IReadOnlyList<string> Actions, bool Administer);
}
