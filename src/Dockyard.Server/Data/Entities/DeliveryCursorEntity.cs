namespace Dockyard.Server.Data.Entities;

/// <summary>
/// How far an at-least-once consumer of an ordered table has got (<c>delivery_cursors</c>): the audit SIEM sinks
/// (<c>audit:syslog</c>, <c>audit:file</c>) over <c>audit_entries</c>, the registry event dispatcher (<c>events</c>) over
/// <c>registry_outbox</c>. <see cref="Position"/> is the last id handed over and confirmed; a restart resumes after it.
/// </summary>
internal sealed class DeliveryCursorEntity
{
    public required string Name { get; set; }

    public long Position { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
