namespace Dockyard.Server.Ui.Data;

/// <summary>What the dashboard shows, counted over the repositories the caller may pull.</summary>
internal sealed record DashboardSummary(int Repositories, int Tags, long StorageBytes, IReadOnlyList<RecentPush> RecentPushes);
