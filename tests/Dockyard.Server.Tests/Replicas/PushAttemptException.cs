namespace Dockyard.Server.Tests.Replicas;

/// <summary>A push attempt failed in a way a client retries (5xx from the load balancer or a replica).</summary>
public sealed class PushAttemptException(string message) : Exception(message);
