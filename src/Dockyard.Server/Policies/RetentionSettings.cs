namespace Dockyard.Server.Policies;

/// <summary>A retention policy as the API writes it; validated into a <see cref="RetentionRule"/>.</summary>
internal sealed record RetentionSettings(bool? Enabled, int? KeepLastTags, IReadOnlyList<string>? KeepTags, string? DeleteUntaggedAfter, bool? IncludeRecent);
