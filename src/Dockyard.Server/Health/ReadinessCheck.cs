namespace Dockyard.Server.Health;

/// <summary>One readiness check's verdict: its name, whether it passed, and a sentence saying why (never an exception's stack).</summary>
internal sealed record ReadinessCheck(string Name, bool Ok, string Reason);
