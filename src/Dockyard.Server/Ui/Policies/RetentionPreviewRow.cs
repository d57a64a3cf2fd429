namespace Dockyard.Server.Ui.Policies;

/// <summary>One tag or manifest of a <see cref="RetentionPreview"/>: shown text, kind, full reference (<c>repo:tag</c>, <c>repo@digest</c>) and the reason.</summary>
public sealed record RetentionPreviewRow(string Repository, string Label, string Kind, string Reference, string Reason);
