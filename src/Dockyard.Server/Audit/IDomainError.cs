namespace Dockyard.Server.Audit;

/// <summary>
/// An expected refusal raised by a service (invalid input, not found, conflict, forbidden) whose message is written
/// for the client and never holds secrets, so <see cref="AuditedOperations"/> records it as the failure's reason.
/// Any other exception is recorded by its type name only.
/// </summary>
internal interface IDomainError
{
    string Message { get; }
}
