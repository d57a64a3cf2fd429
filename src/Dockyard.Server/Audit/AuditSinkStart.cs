namespace Dockyard.Server.Audit;

/// <summary>Where a SIEM sink that has no cursor yet starts reading the trail (<c>Dockyard:Audit:SinkStart</c>).</summary>
internal enum AuditSinkStart
{
    /// <summary>After the last entry committed when the sink is first configured: history is not replayed.</summary>
    Now,

    /// <summary>From the first retained entry: the sink receives the whole trail once.</summary>
    Beginning,
}
