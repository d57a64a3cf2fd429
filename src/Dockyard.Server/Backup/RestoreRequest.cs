namespace Dockyard.Server.Backup;

/// <summary>
/// <c>dockyard restore SRC --data DIR</c>: the backup, the data directory to fill (empty or absent), who is to own
/// it (null: see <see cref="RestoreRunner"/>), and the highest audit id a SIEM already holds when the operator knows it.
/// </summary>
internal sealed record RestoreRequest(string Source, string DataDirectory, string? Owner, long? AuditIdsAfter);
