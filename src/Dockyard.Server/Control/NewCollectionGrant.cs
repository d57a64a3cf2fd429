namespace Dockyard.Server.Control;

/// <summary>
/// A grant to add: <paramref name="SubjectKind"/> (<c>user</c>, <c>team</c>, <c>organization</c>,
/// <c>service-account</c>) and <paramref name="Subject"/> by name (<c>alice</c>, <c>acme/payments</c> for a team,
/// <c>acme</c>, <c>acme/ci</c> for a service account), a built-in <paramref name="Role"/> and a
/// <paramref name="Collection"/> path.
/// </summary>
internal sealed record NewCollectionGrant(string? SubjectKind, string? Subject, string? Role, string? Collection);
