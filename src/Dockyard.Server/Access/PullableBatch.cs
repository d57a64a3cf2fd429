namespace Dockyard.Server.Access;

/// <summary>
/// One batch of a listing in name order: of the next <see cref="Scanned"/> repositories the principal's rules admit
/// after a cursor, the ones its token scopes admit too. <see cref="Last"/> continues the listing.
/// </summary>
internal sealed record PullableBatch(IReadOnlyList<string> Pullable, int Scanned, string? Last);
