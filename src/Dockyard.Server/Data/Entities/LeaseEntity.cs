namespace Dockyard.Server.Data.Entities;

/// <summary>
/// A held lock shared by all replicas (the database registry locks of <c>Dockyard:Coordination</c>): <see cref="Name"/> is held by
/// <see cref="Holder"/> until <see cref="ExpiresAt"/>, which the holder keeps pushing forward while it works. A replica
/// that dies leaves a row that expires on its own and is then taken over.
/// </summary>
internal sealed class LeaseEntity
{
    public required string Name { get; set; }

    public required string Holder { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
