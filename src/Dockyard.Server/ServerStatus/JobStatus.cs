namespace Dockyard.Server.ServerStatus;

/// <summary>
/// A background job and its last run as far as something records it. <see cref="RecordedBy"/> names where the run
/// is read from (an audit action, a delivery cursor); null with <see cref="LastRunAt"/> null means nothing records
/// this job's runs ("not recorded"), as opposed to a recorder that has no run yet.
/// </summary>
/// <param name="Name">The job, e.g. "Garbage collection".</param>
/// <param name="Schedule">How often it runs, from the configuration (null: on demand or continuous).</param>
/// <param name="RecordedBy">Where runs are recorded, e.g. <c>audit: system.gc</c>; null when nowhere.</param>
/// <param name="LastRunAt">The last recorded run (or progress), null when none is recorded.</param>
/// <param name="Outcome"><c>success</c>, <c>denied</c>, <c>failed</c> for audited runs; null otherwise.</param>
/// <param name="Detail">A short sentence: who ran it, what it did, the backlog.</param>
internal sealed record JobStatus(string Name, string? Schedule, string? RecordedBy, DateTimeOffset? LastRunAt, string? Outcome, string? Detail);
