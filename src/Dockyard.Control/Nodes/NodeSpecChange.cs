namespace Dockyard.Control.Nodes;

/// <summary>
/// Changes to a node's spec; null members keep the current value. <see cref="Labels"/>, when given, replaces the
/// whole label set.
/// </summary>
/// <param name="Name">New spec name.</param>
/// <param name="Labels">The complete new label set.</param>
/// <param name="Role">manager or worker.</param>
/// <param name="Availability">active, pause or drain.</param>
public sealed record NodeSpecChange(
    string? Name = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    string? Role = null,
    string? Availability = null);
