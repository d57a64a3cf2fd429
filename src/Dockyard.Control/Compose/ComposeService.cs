namespace Dockyard.Control.Compose;

/// <summary>One entry under <c>services:</c>.</summary>
public sealed record ComposeService
{
    /// <summary>The key under <c>services:</c> (the stack's service is <c>&lt;stack&gt;_&lt;name&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The image as written after interpolation, e.g. <c>127.0.0.1:5000/team/web:1.2</c>.</summary>
    public required string Image { get; init; }
}
