namespace Dockyard.Server.Ui.Stacks;

/// <summary>One Compose file of the editor: its name (as errors name it) and its text.</summary>
public sealed class StackFileField
{
    public string? Name { get; set; }

    public string? Text { get; set; }
}
