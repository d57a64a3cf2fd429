namespace Dockyard.Server.Control.Stacks.Follow;

/// <summary>A redeploy the background worker asks for (mapped onto the stack service's redeploy request).</summary>
/// <param name="Services">Short names of the services to re-resolve; null for all.</param>
/// <param name="Note">Recorded on the new revision ("redeploy on push: team/web:1 → sha256:…").</param>
/// <param name="AuditAction">The action the redeploy is audited as.</param>
internal sealed record StackRedeploy(IReadOnlyList<string>? Services, string Note, string AuditAction);
