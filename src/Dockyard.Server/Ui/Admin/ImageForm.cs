namespace Dockyard.Server.Ui.Admin;

/// <summary>The fields of the images page's forms: pull (reference, node) and remove (image, node, force).</summary>
public sealed class ImageForm
{
    public string? Reference { get; set; }

    /// <summary>Node id or engine name; empty = every node (pull only).</summary>
    public string? Node { get; set; }

    public string? Image { get; set; }

    public bool Force { get; set; }
}
