namespace Dockyard.Server.Audit;

/// <summary>Export formats: RFC 4180 CSV or JSON Lines (one <see cref="AuditEntryResponse"/> per line).</summary>
internal enum AuditExportFormat
{
    Csv,
    Jsonl,
}
