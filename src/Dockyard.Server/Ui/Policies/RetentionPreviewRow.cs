namespace Dockyard.Server.Ui.Policies;

/// <summary>
/// One tag or manifest of a <see cref="RetentionPreview"/>: shown text, kind, full reference (<c>repo:tag</c>,
/// <c>repo@digest</c>), the reason, and the tags it takes (the tag itself, or those of a deleted manifest).
/// </summary>
public sealed record RetentionPreviewRow(string Repository, string Label, string Kind, string Reference, string Reason, IReadOnlyList<string> Tags);
