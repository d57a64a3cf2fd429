namespace Dockyard.Server.Control.Stacks;

/// <summary>A variable or image that was <c>added</c>, <c>removed</c> or <c>changed</c>; secret values are never shown (null).</summary>
internal sealed record StackValueChangeView(string Name, string Change, string? From, string? To);
