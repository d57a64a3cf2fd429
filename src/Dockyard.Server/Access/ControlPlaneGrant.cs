namespace Dockyard.Server.Access;

/// <summary>
/// A collection grant reaching a principal (to it, a team it is in, or an organization it belongs to): control-plane
/// rights on <paramref name="Collection"/> only, never repository rights. <paramref name="SubjectKind"/> is
/// <c>user</c>, <c>team</c>, <c>organization</c> or <c>service-account</c>; <paramref name="Subject"/> its name.
/// </summary>
internal sealed record ControlPlaneGrant(string SubjectKind, string Subject, string Role, string Collection);
